import type { GraphClient } from '../../../graph/client.js';
import { getAllPages } from '../../../graph/paging.js';
import { userMemberOfRequest } from '../../../lookups/requests.js';

/**
 * Ids of the directory objects a user (addressed by the ticket's UPN) is a direct member of, read in
 * the same round as the user and group look-ups so planning needs no second round in the usual case.
 * Only a *positive* answer is trusted: memberOf can omit hidden-membership groups, so "not listed"
 * is confirmed with the per-group membership check where it matters (removals). Undefined when this
 * read cannot answer (any failure, or more memberships than the page cap): the caller then checks
 * each group, which reports throttling/permission errors as what they are.
 */
const MAX_PAGES = 5;

export async function directMemberOf(graph: GraphClient, userPrincipalName: string): Promise<Set<string> | undefined> {
  try {
    const result = await getAllPages<{ id?: string }>(graph, userMemberOfRequest('memberOf', userPrincipalName, ['id']).url, {
      step: 'check_membership',
      maxPages: MAX_PAGES,
    });
    if (result.truncated) return undefined;
    return new Set(result.items.flatMap((item) => (typeof item.id === 'string' ? [item.id.toLowerCase()] : [])));
  } catch {
    return undefined;
  }
}
