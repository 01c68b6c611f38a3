import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUNBOOK_MODELS } from '../../../local/standins/automation/runbooks/index.js';

/**
 * The PowerShell runbooks cannot run here (no pwsh, no Exchange), so this keeps each .ps1 and its
 * TypeScript model in step, and checks the connection and Send on Behalf rules the scripts must keep.
 */

const dir = new URL('../../../runbooks/', import.meta.url);
const script = (name: string) => readFileSync(new URL(`${name}.ps1`, dir), 'utf8');

interface PsParam {
  name: string;
  type: string;
  mandatory: boolean;
  notNullOrEmpty?: boolean;
  validateSet?: string[];
  default?: string;
}

function psParams(source: string): PsParam[] {
  const block = /\bparam\(([\s\S]*?)\n\)/.exec(source)?.[1] ?? '';
  const out: PsParam[] = [];
  const re = /\[Parameter\(Mandatory = \$(true|false)\)\]((?:\[[^\]]*\]|\[ValidateSet\([^)]*\)\])*)\[(string|bool)\]\s*\$(\w+)(?:\s*=\s*([^,\n]+))?/g;
  for (const m of block.matchAll(re)) {
    const set = /ValidateSet\(([^)]*)\)/.exec(m[2] ?? '')?.[1];
    out.push({
      name: m[4] ?? '',
      type: m[3] ?? '',
      mandatory: m[1] === 'true',
      ...(/\[ValidateNotNullOrEmpty\(\)\]/.test(m[2] ?? '') ? { notNullOrEmpty: true } : {}),
      ...(set ? { validateSet: set.split(',').map((s) => s.trim().replace(/^'|'$/g, '')) } : {}),
      ...(m[5] ? { default: m[5].trim() } : {}),
    });
  }
  return out;
}

describe('runbooks/*.ps1', () => {
  it('has exactly one script per runbook model', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.ps1')).map((f) => f.replace(/\.ps1$/, '')).sort();
    expect(files).toEqual(RUNBOOK_MODELS.map((m) => m.name).sort());
  });

  for (const model of RUNBOOK_MODELS) {
    describe(model.name, () => {
      const source = script(model.name);

      it('declares the same parameters as its model', () => {
        const expected = model.parameters.map((p) => ({
          name: p.name,
          type: p.type,
          mandatory: p.mandatory,
          ...(p.notNullOrEmpty ? { notNullOrEmpty: true } : {}),
          ...(p.validateSet ? { validateSet: [...p.validateSet] } : {}),
          ...(p.default !== undefined ? { default: typeof p.default === 'boolean' ? `$${p.default}` : `'${p.default}'` } : {}),
        }));
        expect(psParams(source)).toEqual(expected);
      });

      it('connects with the managed identity to the initial domain, with a pinned module', () => {
        expect(source).toMatch(/Connect-ExchangeOnline -ManagedIdentity -Organization \$Organization/);
        expect(source).toMatch(/Get-AutomationVariable -Name 'ExchangeOrganization'/);
        expect(source).not.toMatch(/Get-AzContext|Tenant\.Id/);
        const pinned = /Import-Module ExchangeOnlineManagement -RequiredVersion (\d+\.\d+\.\d+)/.exec(source)?.[1];
        expect(pinned).toBeDefined();
        expect(source).toContain(`Module   : ExchangeOnlineManagement ${pinned}`);
        expect(source).toMatch(/\$ErrorActionPreference = 'Stop'/);
        expect(source).toMatch(/finally \{\s*Disconnect-ExchangeOnline/);
      });

      it('ends every success path with the RESULT line', () => {
        expect(source).toContain("Write-Output ('RESULT: ' + ($payload | ConvertTo-Json -Compress -Depth 5))");
        expect(source).toMatch(/\[ordered\]@\{ outcome = \$Outcome; action = \$ResultAction; message = \$Message; details = \$Details \}/);
        // Either literally (Write-Result 'applied' ...) or through a variable ($outcome = 'applied').
        expect(source).toMatch(/Write-Result 'applied'|\$outcome = 'applied'/);
        expect(source).toMatch(/Write-Result 'already_satisfied'|\$outcome = 'already_satisfied'/);
      });
    });
  }

  it('changes Send on Behalf only through Add/Remove hashtables, leaving other delegates alone', () => {
    const source = script('Set-SharedMailboxPermission');
    const writes = [...source.matchAll(/Set-Mailbox[^\n]*-GrantSendOnBehalfTo ([^\n]*)/g)].map((m) => m[1] ?? '');
    expect(writes).toHaveLength(2);
    for (const w of writes) expect(w).toMatch(/^@\{ (Add|Remove) = \$user \}/);
  });
});
