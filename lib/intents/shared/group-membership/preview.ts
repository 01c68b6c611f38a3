import type { GroupMembershipPlan, PlanPreview, PlannedGroup } from './plan-types.js';

/**
 * What the plan will do, as steps and one sentence: the dry-run answer's wording, and the answer a
 * workflow gives when it hands runbook work to Exchange and answers `accepted` before it is done.
 */
function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function label(group: PlannedGroup): string {
  return group.group?.displayName ?? group.name;
}

export function previewOf(plan: Omit<GroupMembershipPlan, 'preview'>): PlanPreview {
  const add = plan.operation === 'add';
  const who = plan.user.displayName ? `${plan.user.displayName} (${plan.user.userPrincipalName})` : plan.user.userPrincipalName;
  const steps = plan.groups.map((g) => ({
    name: g.step,
    status: g.decision === 'graph' || g.decision === 'exchange' ? ('planned' as const) : g.decision === 'already_done' ? ('already_done' as const) : ('failed' as const),
    detail: g.detail,
  }));
  const by = (decision: PlannedGroup['decision']) => plan.groups.filter((g) => g.decision === decision).map(label);
  const parts: string[] = [];
  const graph = by('graph');
  const exchange = by('exchange');
  if (graph.length) parts.push(`${add ? 'will be added to' : 'will be removed from'} ${joinNames(graph)} with Microsoft Graph`);
  if (exchange.length) parts.push(`${add ? 'will be added to' : 'will be removed from'} ${joinNames(exchange)} in Exchange Online (takes a few minutes)`);
  const already = by('already_done');
  if (already.length) parts.push(`${add ? 'is already a member of' : 'is not a member of'} ${joinNames(already)}`);
  const refused = plan.groups.filter((g) => g.decision === 'refused' || g.decision === 'failed');
  if (refused.length) parts.push(`cannot be ${add ? 'added to' : 'removed from'} ${refused.map((g) => `${label(g)} (${g.detail.replace(/\.$/, '')})`).join('; ')}`);
  return { message: `${who} ${parts.join('; ')}.`, steps };
}
