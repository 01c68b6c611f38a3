import type { CmdletDoc, CmdletParameter } from './exo-cmdlet-docs.js';

/**
 * Writes one PowerShell stub function per cmdlet from what its Learn page says: the Exchange Online
 * parameters with their names, parameter sets, mandatory flags, positions and (for enumerations) valid values,
 * so PowerShell's own binder rejects a call the real cmdlet would reject. The body hands the bound
 * parameters to Invoke-ExoStubCmdlet (ExchangeOnlineManagement.psm1), which throws in Pester mode and calls
 * the Automation stand-in in stand-in mode.
 */

/** Page type -> PowerShell type. Identity and Exchange-specific types stay untyped ([object]) as the v3 proxies take them. */
const POWERSHELL_TYPES: Record<string, string> = {
  SwitchParameter: 'switch',
  Boolean: 'bool',
  String: 'string',
  'String[]': 'string[]',
  Int32: 'int',
  UInt32: 'uint32',
  DateTime: 'datetime',
  PSCredential: 'pscredential',
  SecureString: 'securestring',
};

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function attributes(doc: CmdletDoc, p: CmdletParameter): string[] {
  return p.slots.map((slot) => {
    const parts: string[] = [];
    if (slot.set !== undefined) parts.push(`ParameterSetName = ${quote(slot.set)}`);
    if (slot.mandatory) parts.push('Mandatory = $true');
    if (slot.position !== undefined) parts.push(`Position = ${slot.position}`);
    if (p.valueFromPipeline) parts.push('ValueFromPipeline = $true');
    return `        [Parameter(${parts.join(', ')})]`;
  });
}

function parameterText(doc: CmdletDoc, p: CmdletParameter): string {
  const lines = attributes(doc, p);
  if (p.validValues) lines.push(`        [ValidateSet(${p.validValues.map(quote).join(', ')})]`);
  const type = POWERSHELL_TYPES[p.type];
  lines.push(`        ${type ? `[${type}] ` : ''}$${p.name}`);
  return lines.join('\n');
}

export function emitCmdletStub(doc: CmdletDoc): string {
  const binding: string[] = [];
  if (doc.defaultSet) binding.push(`DefaultParameterSetName = ${quote(doc.defaultSet)}`);
  if (doc.supportsShouldProcess) binding.push('SupportsShouldProcess = $true');
  const params = doc.parameters.map((p) => parameterText(doc, p)).join(',\n');
  const pipeline = doc.parameters.some((p) => p.valueFromPipeline);
  const call = `Invoke-ExoStubCmdlet -Cmdlet ${quote(doc.name)} -Bound $PSBoundParameters -Caller $PSCmdlet`;
  return [
    `# ${doc.url}`,
    `function ${doc.name} {`,
    `    [CmdletBinding(${binding.join(', ')})]`,
    '    param(',
    params,
    '    )',
    pipeline ? `    process { ${call} }` : `    ${call}`,
    '}',
    '',
  ].join('\n');
}
