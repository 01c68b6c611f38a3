import type { GraphClient } from '../../../graph/client.js';
import { resolveGroups } from '../../../lookups/index.js';

/**
 * Whether a membership request will involve the Exchange runbook, asked by the router before it calls
 * the child so it can answer 202 `accepted` first (docs/workflow-design.md, router step 3): runbook jobs
 * take minutes in Azure, longer than Thread should wait on one HTTP call. One $batch of group look-ups;
 * names that do not resolve count as not Exchange (the child reports them).
 */
export interface MembershipRoute {
  respondEarly: boolean;
  /** Display names of the Exchange-managed groups (distribution lists, mail-enabled security groups). */
  exchangeGroups: string[];
}

export async function routeGroupMembership(graph: GraphClient, groupNames: readonly string[]): Promise<MembershipRoute> {
  const resolutions = await resolveGroups(graph, groupNames);
  const exchangeGroups = resolutions.flatMap((r) => (r.ok && r.group.membershipManagedBy === 'exchange' ? [r.group.displayName] : []));
  return { respondEarly: exchangeGroups.length > 0, exchangeGroups };
}
