import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCmdletDoc } from '../../scripts/runbooks/exo-cmdlet-docs.js';
import { emitCmdletStub } from '../../scripts/runbooks/exo-stub-emit.js';
import { STUB_CMDLETS, STUB_CMDLETS_FILE } from '../../scripts/runbooks/generate-exo-stub.js';

/**
 * The generator of the stub cmdlets reads Microsoft Learn's cmdlet pages in their source form
 * (https://github.com/MicrosoftDocs/office-docs-powershell, exchange/exchange-ps/ExchangePowerShell/*.md).
 * This page is cut down from Add-MailboxPermission.md (https://learn.microsoft.com/powershell/module/exchangepowershell/add-mailboxpermission):
 * the Instance set and -DomainController exist only on-premises.
 */
const PAGE = `---
online version: https://learn.microsoft.com/powershell/module/exchangepowershell/add-mailboxpermission
title: Add-MailboxPermission
---

# Add-MailboxPermission

## SYNTAX

### AccessRights
\`\`\`
Add-MailboxPermission [-Identity] <MailboxIdParameter> -AccessRights <MailboxRights[]> -User <SecurityPrincipalIdParameter>
 [-AutoMapping <Boolean>] [-Confirm] [-WhatIf] [<CommonParameters>]
\`\`\`

### Owner
\`\`\`
Add-MailboxPermission [-Identity] <MailboxIdParameter> -Owner <SecurityPrincipalIdParameter> [-Confirm] [-WhatIf] [<CommonParameters>]
\`\`\`

### Instance
\`\`\`
Add-MailboxPermission [[-Identity] <MailboxIdParameter>] -Instance <MailboxAcePresentationObject> [-WhatIf] [<CommonParameters>]
\`\`\`

## DESCRIPTION
Text.

## PARAMETERS

### -Identity

> Applicable: Exchange Server 2019, Exchange Online

The Identity parameter specifies the mailbox.

\`\`\`yaml
Type: MailboxIdParameter
Parameter Sets: AccessRights, Owner, Instance
Required: True
Position: 1
Accept pipeline input: True
\`\`\`

### -AccessRights

> Applicable: Exchange Server 2019, Exchange Online

Valid values are:

- ChangeOwner
- FullAccess
- ReadPermission

\`\`\`yaml
Type: MailboxRights[]
Parameter Sets: AccessRights, Instance
Required: True
Position: Named
Accept pipeline input: False
\`\`\`

### -Instance

> Applicable: Exchange Server 2019

\`\`\`yaml
Type: MailboxAcePresentationObject
Parameter Sets: Instance
Required: True
Position: Named
Accept pipeline input: True
\`\`\`

### -Owner

> Applicable: Exchange Server 2019, Exchange Online

\`\`\`yaml
Type: SecurityPrincipalIdParameter
Parameter Sets: Owner
Required: True
Position: Named
Accept pipeline input: False
\`\`\`

### -User

> Applicable: Exchange Server 2019, Exchange Online

\`\`\`yaml
Type: SecurityPrincipalIdParameter
Parameter Sets: AccessRights, Instance
Required: True
Position: Named
Accept pipeline input: False
\`\`\`

### -AutoMapping

> Applicable: Exchange Server 2019, Exchange Online

\`\`\`yaml
Type: Boolean
Parameter Sets: AccessRights, Instance
Required: False
Position: Named
Accept pipeline input: False
\`\`\`

### -Confirm

> Applicable: Exchange Server 2019, Exchange Online

\`\`\`yaml
Type: SwitchParameter
Parameter Sets: (All)
Required: False
Position: Named
Accept pipeline input: False
\`\`\`

### -DomainController

> Applicable: Exchange Server 2019

\`\`\`yaml
Type: Fqdn
Parameter Sets: (All)
Required: False
Position: Named
Accept pipeline input: False
\`\`\`

## INPUTS
`;

describe('parseCmdletDoc (Learn cmdlet page → Exchange Online parameters)', () => {
  const doc = parseCmdletDoc(PAGE);

  it('keeps the Exchange Online parameter sets and drops one that only an on-premises parameter defines', () => {
    expect(doc.name).toBe('Add-MailboxPermission');
    expect(doc.url).toBe('https://learn.microsoft.com/powershell/module/exchangepowershell/add-mailboxpermission');
    expect(doc.sets).toEqual(['AccessRights', 'Owner']);
    expect(doc.defaultSet).toBe('AccessRights');
    expect(doc.supportsShouldProcess).toBe(true);
  });

  it('keeps only Exchange Online parameters, without the ShouldProcess ones PowerShell adds', () => {
    expect(doc.parameters.map((p) => p.name)).toEqual(['Identity', 'AccessRights', 'Owner', 'User', 'AutoMapping']);
  });

  it('reads sets, mandatory flags, positions, pipeline input and enumeration values', () => {
    const byName = Object.fromEntries(doc.parameters.map((p) => [p.name, p]));
    expect(byName.Identity?.slots).toEqual([
      { set: 'AccessRights', mandatory: true, position: 1 },
      { set: 'Owner', mandatory: true, position: 1 },
    ]);
    expect(byName.Identity?.valueFromPipeline).toBe(true);
    expect(byName.AccessRights?.validValues).toEqual(['ChangeOwner', 'FullAccess', 'ReadPermission']);
    expect(byName.AutoMapping?.slots).toEqual([{ set: 'AccessRights', mandatory: false, position: undefined }]);
  });

  it('emits a PowerShell function with those attributes', () => {
    const text = emitCmdletStub(doc);
    expect(text).toContain('# https://learn.microsoft.com/powershell/module/exchangepowershell/add-mailboxpermission\nfunction Add-MailboxPermission {');
    expect(text).toContain("[CmdletBinding(DefaultParameterSetName = 'AccessRights', SupportsShouldProcess = $true)]");
    expect(text).toContain("[Parameter(ParameterSetName = 'Owner', Mandatory = $true, Position = 1, ValueFromPipeline = $true)]");
    expect(text).toContain("[ValidateSet('ChangeOwner', 'FullAccess', 'ReadPermission')]\n        $AccessRights");
    expect(text).toContain("[Parameter(ParameterSetName = 'AccessRights')]\n        [bool] $AutoMapping");
    expect(text).toContain("process { Invoke-ExoStubCmdlet -Cmdlet 'Add-MailboxPermission' -Bound $PSBoundParameters -Caller $PSCmdlet }");
  });
});

describe('the generated stub file', () => {
  it('holds one function per stubbed cmdlet, each under its Learn URL', () => {
    const text = readFileSync(STUB_CMDLETS_FILE, 'utf8');
    const functions = [...text.matchAll(/^# (https:\/\/learn\.microsoft\.com\/\S+)\nfunction (\S+) \{/gm)].map((m) => [m[2], m[1]]);
    expect(functions.map(([name]) => name)).toEqual([...STUB_CMDLETS]);
    for (const [name, url] of functions) expect(url).toBe(`https://learn.microsoft.com/powershell/module/exchangepowershell/${name?.toLowerCase()}`);
  });

  it('exports exactly those cmdlets from the module manifest', () => {
    const manifest = readFileSync(STUB_CMDLETS_FILE.replace(/Cmdlets\.ps1$/, 'psd1'), 'utf8');
    const list = /FunctionsToExport\s*=\s*@\(([\s\S]*?)\)/.exec(manifest)?.[1] ?? '';
    const exported = [...list.matchAll(/'([^']+)'/g)].map((m) => m[1]);
    expect([...exported].sort()).toEqual([...STUB_CMDLETS].sort());
  });
});
