/**
 * Azure's what-if, shown as one line per resource that would change. `az deployment group what-if` is called with
 * --no-pretty-print (otherwise it prints its own coloured text and then the JSON result as well); the JSON is a
 * WhatIfOperationResult: https://learn.microsoft.com/rest/api/resources/deployments/what-if#whatifoperationresult
 */
interface WhatIfChange {
  resourceId?: string;
  changeType?: string;
  delta?: Array<{ path?: string; propertyChangeType?: string }>;
}

const SYMBOL: Record<string, string> = { Create: '+', Delete: '-', Modify: '~', Deploy: '!', Unsupported: 'x', NoChange: '=', Ignore: '*' };
const QUIET = new Set(['NoChange', 'Ignore']);

export function formatWhatIf(result: unknown): string[] {
  const changes = ((result as { changes?: WhatIfChange[] } | undefined)?.changes ?? []).slice();
  const lines = ["    What-if (Azure's prediction of this deployment):"];
  const counts = new Map<string, number>();
  for (const change of changes) {
    const type = change.changeType ?? 'Unknown';
    counts.set(type, (counts.get(type) ?? 0) + 1);
    if (QUIET.has(type)) continue;
    const resource = (change.resourceId ?? '').replace(/^.*\/providers\//, '');
    const paths = (change.delta ?? []).map((d) => d.path).filter(Boolean);
    const detail = paths.length > 0 ? ` (${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ', …' : ''})` : '';
    lines.push(`      ${SYMBOL[type] ?? '?'} ${type.padEnd(11)} ${resource}${detail}`);
  }
  const summary = [...counts.entries()].map(([type, n]) => `${n} ${type}`).join(', ');
  lines.push(`    Summary: ${summary || 'no changes'}.`);
  return lines;
}

/** True when what-if predicts any change other than NoChange/Ignore (e.g. a setting changed by hand in the portal). */
export function predictsChanges(result: unknown): boolean {
  const changes = (result as { changes?: WhatIfChange[] } | undefined)?.changes ?? [];
  return changes.some((c) => !QUIET.has(c.changeType ?? ''));
}
