import { AppError } from '../errors/app-error.js';
import { runBatch, type BatchRequest } from '../graph/batch.js';
import type { GraphClient } from '../graph/client.js';
import { buildQuery, isGuid, odataString } from '../graph/odata.js';
import { encodeSegment } from '../graph/path.js';
import { classifyGroup, type GroupClassification } from './group-kind.js';

/**
 * Resolves group names from a ticket to groups, all names in one $batch. Names match exactly
 * (Graph's displayName eq, case-insensitive), with quotes escaped; two groups with the same name
 * are reported as ambiguous with both ids instead of picking one (reference defect 19).
 */
export interface ResolvedGroup extends GroupClassification {
  id: string;
  displayName: string;
  mail: string | null;
  isAssignableToRole: boolean;
}

export type GroupResolution = { name: string; ok: true; group: ResolvedGroup } | { name: string; ok: false; error: AppError };

export const GROUP_SELECT = ['id', 'displayName', 'groupTypes', 'mailEnabled', 'securityEnabled', 'isAssignableToRole', 'onPremisesSyncEnabled', 'mail'];

const STEP = 'resolve_groups';

type RawGroup = Record<string, unknown>;

export function toResolvedGroup(raw: RawGroup): ResolvedGroup {
  const facts = {
    groupTypes: Array.isArray(raw.groupTypes) ? raw.groupTypes.map(String) : [],
    mailEnabled: raw.mailEnabled === true,
    securityEnabled: raw.securityEnabled === true,
    isAssignableToRole: raw.isAssignableToRole === true,
    onPremisesSyncEnabled: raw.onPremisesSyncEnabled === true,
  };
  return {
    id: String(raw.id),
    displayName: typeof raw.displayName === 'string' ? raw.displayName : '',
    mail: typeof raw.mail === 'string' ? raw.mail : null,
    isAssignableToRole: facts.isAssignableToRole,
    ...classifyGroup(facts),
  };
}

function requestFor(name: string, index: number): BatchRequest {
  const select = buildQuery({ $select: GROUP_SELECT });
  if (isGuid(name)) return { id: String(index), method: 'GET', url: `/groups/${encodeSegment(name)}${select}` };
  return {
    id: String(index),
    method: 'GET',
    url: `/groups${buildQuery({ $filter: `displayName eq ${odataString(name)}`, $select: GROUP_SELECT })}`,
  };
}

function notFound(name: string): AppError {
  return new AppError({
    code: 'not_found',
    message: `No group is named "${name}".`,
    status: 404,
    fix: 'Check the group name in the ticket; it must match the group\'s display name exactly.',
    step: STEP,
    upstreamStatus: 404,
  });
}

export async function resolveGroups(graph: GraphClient, names: readonly string[]): Promise<GroupResolution[]> {
  const wanted = names.map((n) => n.trim());
  const unique = [...new Map(wanted.filter(Boolean).map((n) => [n.toLowerCase(), n])).values()];
  if (unique.length === 0) return [];
  const results = await runBatch(graph, unique.map(requestFor), { step: STEP });
  const byName = new Map<string, GroupResolution>();
  unique.forEach((name, i) => {
    const item = results.get(String(i));
    let resolution: GroupResolution;
    if (!item) resolution = { name, ok: false, error: notFound(name) };
    else if (item.error) resolution = { name, ok: false, error: item.status === 404 ? notFound(name) : item.error };
    else if (isGuid(name)) resolution = { name, ok: true, group: toResolvedGroup(item.body as RawGroup) };
    else {
      const matches = ((item.body as { value?: RawGroup[] }).value ?? []).map(toResolvedGroup);
      if (matches.length === 0) resolution = { name, ok: false, error: notFound(name) };
      else if (matches.length > 1) {
        resolution = {
          name,
          ok: false,
          error: new AppError({
            code: 'ambiguous',
            message: `${matches.length} groups are named "${name}".`,
            status: 409,
            fix: 'Rename one of the groups, or put the group\'s object id in the ticket instead of its name.',
            step: STEP,
            details: { candidates: matches.map((m) => ({ id: m.id, displayName: m.displayName, kind: m.kind, mail: m.mail })) },
          }),
        };
      } else resolution = { name, ok: true, group: matches[0] as ResolvedGroup };
    }
    byName.set(name.toLowerCase(), resolution);
  });
  return wanted.filter(Boolean).map((n) => ({ ...(byName.get(n.toLowerCase()) as GroupResolution), name: n }));
}

/** One group, or the AppError explaining why not. */
export async function resolveGroup(graph: GraphClient, name: string): Promise<ResolvedGroup> {
  const [result] = await resolveGroups(graph, [name]);
  if (!result) throw notFound(name);
  if (!result.ok) throw result.error;
  return result.group;
}
