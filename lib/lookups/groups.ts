import { AppError } from '../errors/app-error.js';
import { runBatch, type BatchItemResult, type BatchRequest } from '../graph/batch.js';
import type { GraphClient } from '../graph/client.js';
import { isGuid } from '../graph/odata.js';
import { explainResultMisses } from './explain-miss.js';
import { classifyGroup, type GroupClassification } from './group-kind.js';
import { groupRequest, groupsByDisplayNameRequest } from './requests.js';
import { describeGroup, groupKindWords } from './suggestions.js';

/**
 * Resolves group names from a ticket to groups, all names in one $batch. Names match exactly
 * (Graph's displayName eq, case-insensitive), with quotes escaped; two groups with the same name
 * are reported as ambiguous with both ids instead of picking one.
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

/** The $batch item looking a group up by display name (or by id when given a GUID). */
export function groupLookupRequest(name: string, id: string | number): BatchRequest {
  return isGuid(name) ? groupRequest(String(id), name, GROUP_SELECT) : groupsByDisplayNameRequest(String(id), name, GROUP_SELECT);
}

function notFound(name: string): AppError {
  return new AppError({
    code: 'not_found',
    message: `No group is named "${name}".`,
    status: 404,
    fix: 'Check the group name in the ticket; it must match the group\'s display name exactly.',
    step: STEP,
    upstreamStatus: 404,
    // Lets explain-miss.ts add "did you mean …" (one extra Graph read, only on this path).
    details: { lookup: { kind: 'group', input: name } },
  });
}

/** Reads one group look-up answer: the group, or not_found / ambiguous / Graph's own error. */
export function interpretGroupAnswer(name: string, item: BatchItemResult | undefined): GroupResolution {
  if (!item) return { name, ok: false, error: notFound(name) };
  if (item.error) return { name, ok: false, error: item.status === 404 ? notFound(name) : item.error };
  if (isGuid(name)) return { name, ok: true, group: toResolvedGroup(item.body as RawGroup) };
  const matches = ((item.body as { value?: RawGroup[] }).value ?? []).map(toResolvedGroup);
  if (matches.length === 0) return { name, ok: false, error: notFound(name) };
  if (matches.length > 1) {
    return {
      name,
      ok: false,
      error: new AppError({
        code: 'ambiguous',
        message: `${matches.length} groups are named "${name}": ${matches.map(describeGroup).join('; ')}.`,
        status: 409,
        fix: `Put the object id of the group you mean in the ticket instead of its name (${matches.map((m) => m.id).join(' or ')}), or rename one of the groups.`,
        step: STEP,
        details: { candidates: matches.map((m) => ({ id: m.id, displayName: m.displayName, kind: m.kind, type: groupKindWords(m.kind), mail: m.mail })) },
      }),
    };
  }
  return { name, ok: true, group: matches[0] as ResolvedGroup };
}

export async function resolveGroups(graph: GraphClient, names: readonly string[]): Promise<GroupResolution[]> {
  const wanted = names.map((n) => n.trim());
  const unique = [...new Map(wanted.filter(Boolean).map((n) => [n.toLowerCase(), n])).values()];
  if (unique.length === 0) return [];
  const results = await runBatch(graph, unique.map(groupLookupRequest), { step: STEP });
  const byName = new Map<string, GroupResolution>();
  const answers = await explainResultMisses(graph, unique.map((name, i) => interpretGroupAnswer(name, results.get(String(i)))));
  unique.forEach((name, i) => byName.set(name.toLowerCase(), answers[i] as GroupResolution));
  return wanted.filter(Boolean).map((n) => ({ ...(byName.get(n.toLowerCase()) as GroupResolution), name: n }));
}

/** One group, or the AppError explaining why not. */
export async function resolveGroup(graph: GraphClient, name: string): Promise<ResolvedGroup> {
  const [result] = await resolveGroups(graph, [name]);
  if (!result) throw notFound(name);
  if (!result.ok) throw result.error;
  return result.group;
}
