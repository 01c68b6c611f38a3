import { runBatch } from '../graph/batch.js';
import type { GraphClient } from '../graph/client.js';
import { groupMemberCheckRequest } from './requests.js';

/**
 * Direct membership of a user in groups, for planning only ("will add" / "already a member").
 * Filtering a members collection is an advanced query, so it carries ConsistencyLevel: eventual and
 * $count=true (https://learn.microsoft.com/graph/aad-advanced-queries). Writes still treat Graph's
 * "already exist" 400 / 404 as already-satisfied, because this read can lag behind.
 * A failed check (403, 429, an outage) is an error, never "not a member".
 */
const STEP = 'check_membership';

export function membershipRequestUrl(userId: string, groupId: string): string {
  return groupMemberCheckRequest('check', groupId, userId).url;
}

/** Membership per group id (one $batch for all groups). Throws the first failed check. */
export async function checkMemberships(graph: GraphClient, userId: string, groupIds: readonly string[]): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  if (groupIds.length === 0) return out;
  const results = await runBatch(
    graph,
    groupIds.map((g, i) => groupMemberCheckRequest(String(i), g, userId)),
    { step: STEP },
  );
  groupIds.forEach((groupId, i) => {
    const item = results.get(String(i));
    if (!item) throw new Error(`No $batch answer for membership check ${i}.`);
    if (item.error) throw item.error;
    const members = (item.body as { value?: Array<{ id?: string }> }).value ?? [];
    out.set(groupId, members.some((m) => m.id?.toLowerCase() === userId.toLowerCase()));
  });
  return out;
}

export async function checkMembership(graph: GraphClient, userId: string, groupId: string): Promise<boolean> {
  const members = await graph.get<{ value?: Array<{ id?: string }> }>(membershipRequestUrl(userId, groupId), {
    step: STEP,
    headers: { ConsistencyLevel: 'eventual' },
  });
  return (members.value ?? []).some((m) => m.id?.toLowerCase() === userId.toLowerCase());
}
