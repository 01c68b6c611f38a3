import { AppError } from '../errors/app-error.js';
import { runBatch, type BatchRequest } from '../graph/batch.js';
import type { GraphClient } from '../graph/client.js';
import { buildQuery, isGuid, odataString } from '../graph/odata.js';
import type { GroupKind } from './group-kind.js';
import { closest } from './similarity.js';

/**
 * "Did you mean …" for a user or group the ticket names but the tenant does not have. Only on a real
 * miss (Graph's 404 / an empty exact match): denied or throttled reads never get here. One extra Graph
 * round trip at most: a $batch of `startswith` queries (a basic query on userPrincipalName, mail,
 * displayName, givenName, surname and, for groups, displayName/mail/mailNickname; see
 * https://learn.microsoft.com/graph/aad-advanced-queries and
 * https://learn.microsoft.com/graph/filter-query-parameter#operators-and-functions-supported-in-filter-expressions),
 * ranked by edit distance (similarity.ts). A failed suggestion read leaves the original answer as it was.
 */
export interface UserSuggestion {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail: string | null;
  distance: number;
}

export interface GroupSuggestion {
  id: string;
  displayName: string;
  mail: string | null;
  kind: GroupKind;
  distance: number;
}

/** What a not-found error looked for; lookups put it in `details.lookup` so suggestions can be added later. */
export interface LookupMiss {
  kind: 'user' | 'group';
  input: string;
}

const PREFIX = 3;
const TOP = 50;
const KIND_WORDS: Record<GroupKind, string> = {
  security: 'security group',
  microsoft365: 'Microsoft 365 group',
  'mail-enabled-security': 'mail-enabled security group',
  distribution: 'distribution list',
  dynamic: 'dynamic group',
  'role-assignable': 'role-assignable group',
  synced: 'group synced from on-premises',
};

export function groupKindWords(kind: GroupKind): string {
  return KIND_WORDS[kind];
}

/** The words of a name or address local part ("adel.vance" → adel, vance), each cut to a short prefix. */
export function searchPrefixes(text: string): string[] {
  const words = text.toLowerCase().split(/[\s._+\-'()]+/).filter((w) => w.length > 0);
  return [...new Set(words.map((w) => w.slice(0, PREFIX)))].slice(0, 3);
}

const startsWith = (property: string, prefix: string) => `startswith(${property},${odataString(prefix)})`;

function localPart(address: string | null | undefined): string | null {
  if (!address) return null;
  const at = address.indexOf('@');
  return at < 0 ? address : address.slice(0, at);
}

/** The $batch item listing users whose sign-in name, mail or name starts like the one asked for; undefined when there is nothing to search. */
export function userSuggestionRequest(input: string, id = 'similarUsers'): BatchRequest | undefined {
  const wanted = input.trim();
  if (!wanted || isGuid(wanted)) return undefined;
  const [first, ...others] = searchPrefixes(localPart(wanted) ?? wanted);
  if (!first) return undefined;
  const clauses = [
    ...['userPrincipalName', 'mail', 'displayName', 'givenName'].map((p) => startsWith(p, first)),
    ...others.flatMap((prefix) => [startsWith('surname', prefix), startsWith('displayName', prefix)]),
  ];
  return {
    id,
    method: 'GET',
    url: `/users${buildQuery({ $filter: clauses.join(' or '), $select: ['id', 'userPrincipalName', 'displayName', 'mail'], $top: TOP })}`,
  };
}

/** The $batch item listing groups whose name or mail starts like the one asked for. */
export function groupSuggestionRequest(name: string, id = 'similarGroups'): BatchRequest | undefined {
  const wanted = name.trim();
  if (!wanted || isGuid(wanted)) return undefined;
  const [first, ...others] = searchPrefixes(wanted);
  if (!first) return undefined;
  const clauses = [
    ...['displayName', 'mail', 'mailNickname'].map((p) => startsWith(p, first)),
    ...others.map((prefix) => startsWith('displayName', prefix)),
  ];
  return {
    id,
    method: 'GET',
    url: `/groups${buildQuery({ $filter: clauses.join(' or '), $select: ['id', 'displayName', 'mail', 'groupTypes', 'mailEnabled', 'securityEnabled', 'isAssignableToRole', 'onPremisesSyncEnabled'], $top: TOP })}`,
  };
}

type Raw = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Ranks Graph's user answers against what was asked: address local parts for an address, names otherwise. */
export function rankUsers(input: string, raw: readonly Raw[], limit = 5): UserSuggestion[] {
  const wanted = input.trim();
  const isAddress = wanted.includes('@');
  const users = raw.map((u) => ({ id: String(u.id), userPrincipalName: str(u.userPrincipalName) ?? '', displayName: str(u.displayName) ?? '', mail: str(u.mail) }));
  const wantedDomain = isAddress ? wanted.slice(wanted.indexOf('@') + 1).toLowerCase() : '';
  const domainOf = (a: string | null) => (a && a.includes('@') ? a.slice(a.indexOf('@') + 1).toLowerCase() : '');
  const ranked = closest(isAddress ? (localPart(wanted) as string) : wanted, users, (u) =>
    isAddress ? [localPart(u.userPrincipalName), localPart(u.mail)] : [u.displayName, localPart(u.userPrincipalName), localPart(u.mail)],
    users.length,
  );
  // Same local-part distance: the one in the domain the ticket used first.
  const sameDomain = (u: UserSuggestion) => (domainOf(u.userPrincipalName) === wantedDomain || domainOf(u.mail) === wantedDomain ? 0 : 1);
  return ranked
    .map((u, order) => ({ u, order }))
    .sort((a, b) => a.u.distance - b.u.distance || sameDomain(a.u) - sameDomain(b.u) || a.order - b.order)
    .slice(0, limit)
    .map(({ u }) => u);
}

export function rankGroups(name: string, raw: readonly Raw[], kindOf: (g: Raw) => GroupKind, limit = 5): GroupSuggestion[] {
  const groups = raw.map((g) => ({ id: String(g.id), displayName: str(g.displayName) ?? '', mail: str(g.mail), kind: kindOf(g) }));
  return closest(name, groups, (g) => [g.displayName, localPart(g.mail)], limit);
}

export function describeUser(u: { userPrincipalName: string; displayName: string }): string {
  return u.displayName ? `${u.userPrincipalName} (${u.displayName})` : u.userPrincipalName;
}

export function describeGroup(g: { id: string; displayName: string; mail: string | null; kind: GroupKind }): string {
  return `"${g.displayName}" (${groupKindWords(g.kind)}${g.mail ? `, ${g.mail}` : ''}, id ${g.id})`;
}

/** "a", "a or b", "a, b or c". */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] as string}`;
}

/** The LookupMiss a not-found error carries, if it is one that can get suggestions. */
export function lookupMissOf(err: unknown): LookupMiss | undefined {
  if (!(err instanceof AppError) || err.code !== 'not_found') return undefined;
  const lookup = err.details?.lookup as Partial<LookupMiss> | undefined;
  if (!lookup || (lookup.kind !== 'user' && lookup.kind !== 'group') || typeof lookup.input !== 'string') return undefined;
  if (Array.isArray(err.details?.suggestions)) return undefined; // already has them
  return { kind: lookup.kind, input: lookup.input };
}

/** The same not-found error with its suggestions in the message, the fix and `details.suggestions`. */
export function withUserSuggestions(err: AppError, suggestions: readonly UserSuggestion[]): AppError {
  const list = suggestions.map(({ distance: _d, ...s }) => s);
  const message = suggestions.length
    ? `${err.message} Did you mean ${orList(suggestions.map(describeUser))}?`
    : `${err.message} No user in the tenant has a similar name.`;
  const fix = suggestions.length
    ? `Correct the address in the ticket (for example to ${suggestions[0]?.userPrincipalName}) and send the request again.`
    : err.fix;
  return new AppError({ ...err.toOptions(), message, fix, details: { ...err.details, suggestions: list } });
}

export function withGroupSuggestions(err: AppError, suggestions: readonly GroupSuggestion[]): AppError {
  const list = suggestions.map(({ distance: _d, ...s }) => s);
  const message = suggestions.length
    ? `${err.message} Did you mean ${orList(suggestions.map(describeGroup))}?`
    : `${err.message} No group in the tenant has a similar name.`;
  const fix = suggestions.length
    ? `Correct the group name in the ticket (for example to "${suggestions[0]?.displayName}") and send the request again; it must match the group's display name exactly.`
    : err.fix;
  return new AppError({ ...err.toOptions(), message, fix, details: { ...err.details, suggestions: list } });
}
