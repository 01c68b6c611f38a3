/**
 * Reads one Exchange cmdlet page of Microsoft Learn in its source form (the Markdown files of
 * https://github.com/MicrosoftDocs/office-docs-powershell, folder exchange/exchange-ps/ExchangePowerShell):
 * the parameter sets of the SYNTAX section and, per parameter, where it applies, its type, sets, whether it is
 * required and its position. Only what applies to Exchange Online is kept, because the runbooks talk to
 * Exchange Online through ExchangeOnlineManagement v3.
 */

export interface ParameterSlot {
  /** Parameter set name, or undefined for "(All)". */
  set: string | undefined;
  mandatory: boolean;
  /** Position as the page states it; undefined for "Named". */
  position: number | undefined;
}

export interface CmdletParameter {
  name: string;
  /** Type as the page names it, e.g. MailboxIdParameter, SwitchParameter, MailboxRights[]. */
  type: string;
  slots: ParameterSlot[];
  valueFromPipeline: boolean;
  /** Values the page lists for an enumeration type (or "The only valid value ... is X"). */
  validValues?: string[];
}

export interface CmdletDoc {
  name: string;
  url: string;
  /** Parameter sets that exist in Exchange Online, in the page's order; empty when the cmdlet has one syntax. */
  sets: string[];
  defaultSet: string | undefined;
  supportsShouldProcess: boolean;
  parameters: CmdletParameter[];
}

/** Enumeration types whose values the page lists as "Valid values are:" bullets; other types take any value. */
const ENUM_TYPES = new Set(['OofState', 'ExternalAudience', 'MailboxRights[]', 'MailboxRights', 'ActiveDirectorySecurityInheritance', 'ConvertibleMailboxSubType']);

/** Common parameters PowerShell adds itself (SupportsShouldProcess adds Confirm and WhatIf). */
const COMMON = new Set(['Confirm', 'WhatIf']);

function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) return '';
  const rest = markdown.slice(start + heading.length + 5);
  const end = rest.search(/\n## [A-Z]/);
  return end < 0 ? rest : rest.slice(0, end);
}

/** Set names from the SYNTAX headings ("### Identity (Default)"), and the one marked default. */
function syntaxSets(syntax: string): { sets: string[]; marked: string | undefined } {
  const headings = [...syntax.matchAll(/^### (\S+)( \(Default\))?\s*$/gm)];
  return { sets: headings.map((m) => m[1] ?? '').filter(Boolean), marked: headings.find((m) => m[2])?.[1] };
}

/**
 * Pages that mark no default set: Get-MailboxPermission -Identity alone lists the permissions (its Example 1),
 * which is the AccessRights set (-Owner is the other set).
 */
const DEFAULT_SET: Record<string, string> = { 'Get-MailboxPermission': 'AccessRights' };

function appliesToExchangeOnline(block: string): boolean {
  const line = /^> Applicable: (.*)$/m.exec(block)?.[1] ?? '';
  return line.split(',').some((s) => s.trim() === 'Exchange Online');
}

function yamlValue(yaml: string, key: string): string {
  return new RegExp(`^${key}: ?(.*)$`, 'm').exec(yaml)?.[1]?.trim() ?? '';
}

function enumValues(description: string): string[] | undefined {
  const only = /The only valid value for this parameter is (\w+)\./.exec(description)?.[1];
  if (only) return [only];
  const list = /Valid values are:\s*\n((?:\s*\n|- .*\n)+)/.exec(description)?.[1];
  if (!list) return undefined;
  const values = [...list.matchAll(/^- (\w+)/gm)].map((m) => m[1] ?? '').filter(Boolean);
  return values.length ? values : undefined;
}

interface RawParameter {
  name: string;
  exo: boolean;
  type: string;
  sets: string[] | 'all';
  yamls: string[];
  description: string;
}

function rawParameters(parametersSection: string, knownSets: string[]): RawParameter[] {
  const blocks = parametersSection.split(/^### -/m).slice(1);
  return blocks.map((block) => {
    const name = (/^(\S+)/.exec(block)?.[1] ?? '').trim();
    const yamls = [...block.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    const listed = yamls.flatMap((y) => yamlValue(y, 'Parameter Sets').split(',').map((s) => s.trim()));
    // "(All)", or a list naming sets the SYNTAX section does not have (a few pages list product names there).
    const sets = listed.every((s) => knownSets.includes(s)) && listed.length ? listed : 'all';
    const description = block.split('```yaml')[0] ?? '';
    return { name, exo: appliesToExchangeOnline(block), type: yamlValue(yamls[0] ?? '', 'Type'), sets, yamls, description };
  });
}

export function parseCmdletDoc(markdown: string): CmdletDoc {
  const name = /^title: (.+)$/m.exec(markdown)?.[1]?.trim() ?? '';
  const url = /^online version: (.+)$/m.exec(markdown)?.[1]?.trim() ?? '';
  const syntax = section(markdown, 'SYNTAX');
  const { sets: allSets, marked } = syntaxSets(syntax);
  const raw = rawParameters(section(markdown, 'PARAMETERS'), allSets);

  // A set is on-premises only when an on-premises parameter belongs to it alone and no Exchange Online one does
  // (Get-Mailbox -Database, -Server; Add-MailboxPermission -Instance).
  const exclusive = (exo: boolean) => new Set(raw.filter((p) => p.exo === exo && p.sets !== 'all' && p.sets.length === 1).map((p) => (p.sets as string[])[0] ?? ''));
  const exoOnly = exclusive(true);
  const onPremisesSets = new Set([...exclusive(false)].filter((s) => !exoOnly.has(s)));
  // The marked default may have no parameter of its own (Disconnect-ExchangeOnline's DefaultParameterSet).
  const sets = allSets.filter((s) => !onPremisesSets.has(s) && (s === marked || raw.some((p) => p.exo && p.sets !== 'all' && p.sets.includes(s))));

  const parameters: CmdletParameter[] = [];
  for (const p of raw) {
    if (!p.exo || COMMON.has(p.name)) continue;
    const slots: ParameterSlot[] = [];
    for (const yaml of p.yamls) {
      const listed = yamlValue(yaml, 'Parameter Sets').split(',').map((s) => s.trim());
      const mandatory = /^True/i.test(yamlValue(yaml, 'Required'));
      const pos = yamlValue(yaml, 'Position');
      const position = /^\d+$/.test(pos) ? Number(pos) : undefined;
      const inSets = p.sets === 'all' || sets.length === 0 ? [undefined] : listed.filter((s) => sets.includes(s));
      for (const set of inSets) slots.push({ set, mandatory, position });
    }
    if (slots.length === 0) continue; // only in on-premises sets
    const values = ENUM_TYPES.has(p.type) || /only valid value/.test(p.description) ? enumValues(p.description) : undefined;
    parameters.push({
      name: p.name,
      type: p.type,
      slots,
      valueFromPipeline: p.yamls.some((y) => /^True/i.test(yamlValue(y, 'Accept pipeline input'))),
      ...(values ? { validValues: values } : {}),
    });
  }
  const preferred = [DEFAULT_SET[name], marked, 'Identity'].find((s) => s !== undefined && sets.includes(s));
  const defaultSet = sets.length === 0 ? undefined : (preferred ?? sets[0]);
  return { name, url, sets, defaultSet, supportsShouldProcess: /\[-WhatIf\]/.test(syntax), parameters };
}
