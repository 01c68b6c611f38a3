import { AppError } from '../errors/app-error.js';
import { runBatch, type BatchRequest } from '../graph/batch.js';
import type { GraphClient } from '../graph/client.js';
import { explainMisses, explainResultMisses } from './explain-miss.js';
import { groupLookupRequest, interpretGroupAnswer, type GroupResolution } from './groups.js';
import { checkMemberships } from './membership.js';
import { userGroupMembershipRequest, userRequest } from './requests.js';
import { mailLookupRequest, pickUser, USER_SELECT, type ResolvedUser } from './user.js';

/**
 * Everything an add/remove-group plan reads, in ONE Graph round trip for the usual case: the user
 * (UPN, mail fallback), each group by name, and the user's current membership of a group with
 * that name (memberOf addressed by the UPN, filtered by name: an advanced query), instead of three
 * sequential reads per group.
 * Membership is for planning only; writes still treat "already a member" / 404 as satisfied.
 * When the user is only found by mail alias, membership needs the id and takes a second round.
 */
export type GroupWithMembership = GroupResolution & { member?: boolean };

export interface UserAndGroups {
  user: ResolvedUser;
  groups: GroupWithMembership[];
}

const STEP = 'resolve_user_and_groups';

export async function resolveUserAndGroups(graph: GraphClient, upnOrMail: string, groupNames: readonly string[]): Promise<UserAndGroups> {
  const input = upnOrMail.trim();
  const names = [...new Map(groupNames.map((n) => n.trim()).filter(Boolean).map((n) => [n.toLowerCase(), n])).values()];
  const requests: BatchRequest[] = [
    userRequest('byUpn', input, USER_SELECT),
    ...(input.includes('@') ? [mailLookupRequest(input)] : []),
    ...names.map((name, i) => groupLookupRequest(name, `g${i}`)),
    ...names.map((name, i) => userGroupMembershipRequest(`m${i}`, input, name)),
  ];
  const results = await runBatch(graph, requests, { step: STEP });
  // Misses of the user and of the groups get their suggestions in one extra $batch together.
  let userMiss: unknown;
  let picked: ResolvedUser | undefined;
  try {
    picked = pickUser(input, results.get('byupn'), results.get('bymail'));
  } catch (err) {
    userMiss = err;
  }
  const interpreted = names.map((name, i) => interpretGroupAnswer(name, results.get(`g${i}`)));
  if (!picked) {
    const [explained] = await explainMisses(graph, [userMiss]);
    throw explained;
  }
  const user = picked;
  const groups: GroupWithMembership[] = await explainResultMisses(graph, interpreted);
  const found = groups.filter((g): g is Extract<GroupResolution, { ok: true }> => g.ok);

  if (user.matchedBy === 'mail') {
    // The memberOf answers addressed a UPN that does not exist; ask again by id.
    const membership = await checkMemberships(graph, user.id, found.map((g) => g.group.id));
    for (const g of found) (g as GroupWithMembership).member = membership.get(g.group.id) ?? false;
    return { user, groups };
  }
  names.forEach((_, i) => {
    const g = groups[i] as GroupWithMembership;
    if (!g.ok) return;
    const answer = results.get(`m${i}`);
    if (!answer || answer.error) throw (answer?.error ?? new Error(`No $batch answer for membership ${i}.`)) as AppError;
    const ids = ((answer.body as { value?: Array<{ id?: string }> }).value ?? []).map((v) => v.id?.toLowerCase());
    g.member = ids.includes(g.group.id.toLowerCase());
  });
  return { user, groups };
}
