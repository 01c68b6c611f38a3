import { doneEarlier, type PreviousAttempt } from '../../idempotency/previous-attempt.js';
import { AppError } from '../../errors/app-error.js';
import { runBatch, type BatchItemResult, type BatchRequest } from '../../graph/batch.js';
import type { GraphClient } from '../../graph/client.js';
import { getAllPages } from '../../graph/paging.js';
import { checkPrivileged, memberOfRequest, rolesFrom, type PrivilegeCheck } from '../../lookups/privileged.js';
import { mailLookupRequest, pickUser, toResolvedUser, USER_SELECT, type ResolvedUser } from '../../lookups/user.js';
import { withSuggestions } from '../../lookups/explain-miss.js';
import { authenticationMethodsRequest, signInPreferencesPath, userRequest } from '../../lookups/requests.js';
import { methodType, PASSWORD_METHOD_TYPE, removalRank, shortTypeName } from './method-catalog.js';
import type { MfaResetPlan, PlannedMethodRemoval } from './plan-types.js';
import type { MfaMethod } from './schema.js';

export type { MfaResetPlan, PlannedMethodRemoval } from './plan-types.js';

/**
 * Plans an MFA reset with read-only look-ups: the user, whether they are an administrator, and
 * their registered methods, all in ONE $batch addressed by the UPN (no sequential reads, and the
 * administrator check costs no extra round trip). Methods are listed with paging, the password method is
 * never touched, and the ones to delete are ordered so the likely default goes last.
 */
export interface MfaResetPlanInput {
  userEmail: string;
  method: MfaMethod;
  /** What earlier attempts at this request did (the ledger's `previous`); removals are judged by fresh look-ups. */
  previous?: PreviousAttempt | undefined;
}

/**
 * Signing out leaves nothing a look-up can see: when an earlier attempt removed methods and the user was not
 * signed out afterwards, the sessions are revoked now even though nothing is left to remove.
 */
function revokeOwedFromEarlier(previous: PreviousAttempt | undefined, upn: string): boolean {
  if (!previous) return false;
  const removedEarlier = previous.completedSteps.some((s) => s.name.startsWith('remove_method:') && s.status === 'succeeded');
  return removedEarlier && doneEarlier(previous, `revoke_sessions:${upn}`) === undefined;
}

interface ListedMethod {
  '@odata.type'?: string;
  id?: string;
  displayName?: string | null;
  phoneType?: string | null;
  phoneNumber?: string | null;
  emailAddress?: string | null;
  model?: string | null;
}

const STEP = 'resolve_user';
const METHODS_STEP = 'list_methods';

function label(user: ResolvedUser): string {
  return user.displayName ? `${user.displayName} (${user.userPrincipalName})` : user.userPrincipalName;
}

/** A method as people recognise it, without exposing a full phone number or address. */
export function methodLabel(kind: string, m: ListedMethod): string {
  const tail = (value: string | null | undefined, n: number) => (value ? value.replace(/\s+/g, '').slice(-n) : '');
  if (kind === 'Phone') {
    const digits = tail(m.phoneNumber, 2);
    return `Phone (${m.phoneType ?? 'phone'}${digits ? `, ending ${digits}` : ''})`;
  }
  if (kind === 'Email') {
    const domain = m.emailAddress?.split('@')[1];
    return domain ? `Email (address at ${domain})` : 'Email';
  }
  const name = m.displayName ?? m.model;
  return name ? `${kind} (${name})` : kind;
}

const DEFAULT_LAST = 1_000;

/** Whether a listed method is the one beta signInPreferences names as the user's default second factor. */
function isPreferred(preferred: string | undefined, kind: string, phoneType: unknown): boolean {
  switch (preferred) {
    case 'push':
      return kind === 'Authenticator';
    case 'oath':
      return kind === 'Software OATH';
    case 'sms':
    case 'voiceMobile':
      return kind === 'Phone' && phoneType === 'mobile';
    case 'voiceAlternateMobile':
      return kind === 'Phone' && phoneType === 'alternateMobile';
    case 'voiceOffice':
      return kind === 'Phone' && phoneType === 'office';
    default:
      return false;
  }
}

/**
 * The default second factor from beta signInPreferences (v1.0 cannot read it). Read next to the $batch,
 * so it adds no sequential call; when it is unavailable (permission, beta outage) the ranking falls back
 * to the usual defaults and the workflow retries a method Graph refuses as "default".
 */
async function readPreferred(graph: GraphClient, userKey: string): Promise<string | undefined> {
  try {
    const prefs = await graph.get<{ userPreferredMethodForSecondaryAuthentication?: unknown }>(signInPreferencesPath(userKey), { step: STEP, version: 'beta' });
    const value = prefs.userPreferredMethodForSecondaryAuthentication;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Pure selection + ordering (exported for tests): which methods to delete, and which cannot be. */
export function selectMethods(
  listed: readonly ListedMethod[],
  wanted: MfaMethod,
  preferred?: string,
): Pick<MfaResetPlan, 'methods' | 'notRemovable' | 'registered'> {
  const candidates: Array<PlannedMethodRemoval & { rank: number; order: number }> = [];
  const notRemovable: MfaResetPlan['notRemovable'] = [];
  const registered = new Set<string>();
  listed.forEach((m, order) => {
    const odataType = m['@odata.type'];
    if (odataType === PASSWORD_METHOD_TYPE || !m.id) return;
    const type = methodType(odataType);
    if (!type) {
      registered.add(shortTypeName(odataType));
      // Only "All" asks for types Graph cannot delete; one named kind never matches them.
      if (wanted === 'All') notRemovable.push({ type: shortTypeName(odataType), id: m.id });
      return;
    }
    registered.add(type.kind);
    if (wanted !== 'All' && wanted !== type.kind) return;
    const text = methodLabel(type.kind, m);
    // The user's known default goes last of all: Graph refuses it while other methods remain.
    const rank = isPreferred(preferred, type.kind, m.phoneType) ? DEFAULT_LAST : removalRank(type, m.phoneType);
    candidates.push({ id: m.id, kind: type.kind, segment: type.segment, label: text, step: `remove_method:${text}`, rank, order });
  });
  candidates.sort((a, b) => a.rank - b.rank || a.order - b.order);
  // Two methods can read the same ("Authenticator (iPhone)" twice): step names must stay unique.
  const seen = new Map<string, number>();
  const methods = candidates.map(({ rank: _rank, order: _order, ...m }) => {
    const n = (seen.get(m.step) ?? 0) + 1;
    seen.set(m.step, n);
    return n === 1 ? m : { ...m, label: `${m.label} #${n}`, step: `${m.step} #${n}` };
  });
  return { methods, notRemovable, registered: [...registered].sort() };
}

async function allMethods(graph: GraphClient, first: BatchItemResult | undefined, userId: string): Promise<ListedMethod[]> {
  if (!first || first.status >= 300) {
    // Not listed in the batch (user found by mail alias, or a transient failure): list by id.
    if (first?.error && first.status !== 404 && first.status !== 400) throw first.error;
    return (await getAllPages<ListedMethod>(graph, authenticationMethodsRequest('methods', userId).url, { step: METHODS_STEP })).items;
  }
  const page = first.body as { value?: ListedMethod[]; '@odata.nextLink'?: string };
  const items = [...(page.value ?? [])];
  const link = page['@odata.nextLink'];
  const next = link ? graph.relativeLink(link) : undefined;
  if (next) items.push(...(await getAllPages<ListedMethod>(graph, next, { step: METHODS_STEP })).items);
  return items;
}

/** User, privileges and methods: one $batch when the UPN resolves, a second round otherwise. */
async function readUser(graph: GraphClient, input: string): Promise<{ user: ResolvedUser; privilege: PrivilegeCheck; listed: ListedMethod[]; preferred?: string | undefined }> {
  const requests: BatchRequest[] = [
    userRequest('byUpn', input, USER_SELECT),
    memberOfRequest(input),
    authenticationMethodsRequest('methods', input),
    ...(input.includes('@') ? [mailLookupRequest(input)] : []),
  ];
  const [answers, preferredByUpn] = await Promise.all([runBatch(graph, requests, { step: STEP }), readPreferred(graph, input)]);
  const byUpn = answers.get('byupn');
  if (byUpn && byUpn.status < 300) {
    const memberOf = answers.get('memberof');
    if (!memberOf || memberOf.error) throw memberOf?.error ?? new Error('No $batch answer for memberOf.');
    const user = toResolvedUser(byUpn.body as Record<string, unknown>, 'userPrincipalName');
    const methods = answers.get('methods');
    if (methods?.error && methods.status !== 404) throw methods.error;
    return { user, privilege: rolesFrom(undefined, memberOf.body), listed: await allMethods(graph, methods, user.id), preferred: preferredByUpn };
  }
  const user = await withSuggestions(graph, () => pickUser(input, byUpn, answers.get('bymail')));
  const [privilege, listed, preferred] = await Promise.all([
    checkPrivileged(graph, user.id),
    allMethods(graph, undefined, user.id),
    readPreferred(graph, user.id),
  ]);
  return { user, privilege, listed, preferred };
}

export async function planMfaReset(graph: GraphClient, input: MfaResetPlanInput): Promise<MfaResetPlan> {
  const { user, privilege, listed, preferred } = await readUser(graph, input.userEmail.trim());
  if (privilege.privileged) {
    throw new AppError({
      code: 'refused',
      message: `${label(user)} holds administrator access (${privilege.roles.join(', ')}); automation does not remove an administrator's MFA methods.`,
      status: 422,
      fix: 'Verify the request with the user by a second channel, then have a Privileged Authentication Administrator remove the methods in the Microsoft Entra admin center (Users → Authentication methods).',
      step: 'check_privileged',
      retryable: false,
      details: { userId: user.id, roles: privilege.roles },
    });
  }
  const { methods, notRemovable, registered } = selectMethods(listed, input.method, preferred);
  const who = label(user);
  const notes: string[] = [];
  if (notRemovable.length > 0) {
    notes.push(`Microsoft Graph cannot remove ${notRemovable.map((m) => m.type).join(', ')}; remove ${notRemovable.length === 1 ? 'it' : 'them'} in the Microsoft Entra admin center.`);
  }
  const changes: MfaResetPlan['changes'] = methods.map((m) => ({ step: m.step, target: user.userPrincipalName, description: `Remove ${m.label} from ${who}.` }));
  const revokeForEarlierRemovals = methods.length === 0 && revokeOwedFromEarlier(input.previous, user.userPrincipalName);
  if (methods.length > 0 || revokeForEarlierRemovals) {
    changes.push({ step: 'revoke_sessions', target: user.userPrincipalName, description: `Sign ${who} out everywhere so the next sign-in asks to register MFA again.` });
  }
  return {
    intent: 'mfa-reset',
    user: { id: user.id, userPrincipalName: user.userPrincipalName, displayName: user.displayName },
    method: input.method,
    methods,
    revokeSessions: methods.length > 0 || revokeForEarlierRemovals,
    ...(revokeForEarlierRemovals ? { revokeForEarlierRemovals } : {}),
    notRemovable,
    registered,
    changes,
    notes,
  };
}
