import { AppError } from '../errors/app-error.js';
import { runBatch, type BatchItemResult, type BatchRequest } from '../graph/batch.js';
import type { GraphClient } from '../graph/client.js';
import { withSuggestions } from './explain-miss.js';
import { userRequest, usersByMailRequest } from './requests.js';
import { describeUser } from './suggestions.js';

/**
 * Finds the user a ticket talks about. Thread's "User Email" is usually the UPN but may be a mail
 * address or alias, so a miss by UPN falls back to mail / proxyAddresses. Both questions go in one
 * $batch so the fallback costs no extra round trip. Only Graph's real 404 means "no such user":
 * 403, 429 and outages surface as what they are, never as "not found".
 */
export interface ResolvedUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail: string | null;
  accountEnabled: boolean | null;
  onPremisesSyncEnabled: boolean | null;
  usageLocation: string | null;
  assignedLicenses: Array<{ skuId: string; disabledPlans: string[] }>;
  userType: string | null;
  matchedBy: 'userPrincipalName' | 'mail' | 'id';
}

export const USER_SELECT = [
  'id',
  'userPrincipalName',
  'displayName',
  'mail',
  'accountEnabled',
  'onPremisesSyncEnabled',
  'usageLocation',
  'assignedLicenses',
  'userType',
] as const;

const STEP = 'resolve_user';

type RawUser = Record<string, unknown>;

export function toResolvedUser(raw: RawUser, matchedBy: ResolvedUser['matchedBy']): ResolvedUser {
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
  const licenses = Array.isArray(raw.assignedLicenses) ? (raw.assignedLicenses as Array<Record<string, unknown>>) : [];
  return {
    id: String(raw.id),
    userPrincipalName: str(raw.userPrincipalName) ?? '',
    displayName: str(raw.displayName) ?? '',
    mail: str(raw.mail),
    accountEnabled: bool(raw.accountEnabled),
    onPremisesSyncEnabled: bool(raw.onPremisesSyncEnabled),
    usageLocation: str(raw.usageLocation),
    assignedLicenses: licenses.map((l) => ({
      skuId: String(l.skuId),
      disabledPlans: Array.isArray(l.disabledPlans) ? l.disabledPlans.map(String) : [],
    })),
    userType: str(raw.userType),
    matchedBy,
  };
}

function notFound(input: string): AppError {
  return new AppError({
    code: 'not_found',
    message: `No user has the user name or e-mail address "${input}".`,
    status: 404,
    fix: 'Check the address in the ticket; it must be the user\'s sign-in name (UPN) or one of their e-mail addresses.',
    step: STEP,
    upstreamStatus: 404,
    // Lets explain-miss.ts add "did you mean …" (one extra Graph read, only on this path).
    details: { lookup: { kind: 'user', input } },
  });
}

/** The mail/alias query: advanced (OR with a lambda), so it carries ConsistencyLevel + $count. */
export function mailLookupRequest(address: string): BatchRequest {
  return usersByMailRequest('byMail', address, USER_SELECT);
}

/** The user, or an AppError; a miss comes with the tenant's closest users (explain-miss.ts). */
export async function resolveUser(graph: GraphClient, upnOrMail: string): Promise<ResolvedUser> {
  return withSuggestions(graph, () => findUser(graph, upnOrMail));
}

async function findUser(graph: GraphClient, upnOrMail: string): Promise<ResolvedUser> {
  const input = upnOrMail.trim();
  if (!input) throw notFound(upnOrMail);
  if (!input.includes('@')) {
    // An object id (or a bare name Graph will not find); no mail fallback for these.
    const raw = await graph.get<RawUser>(userRequest('byId', input, USER_SELECT).url, { step: STEP }).catch((err: unknown) => {
      throw err instanceof AppError && err.code === 'not_found' ? notFound(input) : err;
    });
    return toResolvedUser(raw, 'id');
  }
  const results = await runBatch(graph, [userRequest('byUpn', input, USER_SELECT), mailLookupRequest(input)], { step: STEP });
  return pickUser(input, results.get('byupn'), results.get('bymail'));
}

/** Decides from the UPN and mail answers of one $batch which user was meant, or throws why not. */
export function pickUser(input: string, byUpn: BatchItemResult | undefined, byMail: BatchItemResult | undefined): ResolvedUser {
  if (byUpn && byUpn.status < 300) return toResolvedUser(byUpn.body as RawUser, 'userPrincipalName');
  // 404 (and 400: not a valid UPN key) only rule out the UPN; 403/429/5xx leave it unknown.
  if (byUpn?.error && byUpn.status !== 404 && byUpn.status !== 400) throw byUpn.error;
  if (byMail?.error) throw byMail.error;
  const matches = ((byMail?.body as { value?: RawUser[] } | undefined)?.value ?? []).map((u) => toResolvedUser(u, 'mail'));
  if (matches.length === 0) throw notFound(input);
  if (matches.length > 1) {
    throw new AppError({
      code: 'ambiguous',
      message: `${matches.length} users have the e-mail address "${input}": ${matches.map((m) => `${describeUser(m)}, id ${m.id}`).join('; ')}.`,
      status: 409,
      fix: 'Put the user\'s sign-in name (UPN) in the ticket instead of the e-mail address.',
      step: STEP,
      details: { candidates: matches.map((m) => ({ id: m.id, userPrincipalName: m.userPrincipalName, displayName: m.displayName, mail: m.mail })) },
    });
  }
  return matches[0] as ResolvedUser;
}
