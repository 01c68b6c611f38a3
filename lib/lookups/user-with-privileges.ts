import { AppError } from '../errors/app-error.js';
import { runBatch } from '../graph/batch.js';
import type { GraphClient } from '../graph/client.js';
import { isGuid } from '../graph/odata.js';
import { checkPrivileged, memberOfRequest, rolesFrom, type PrivilegeCheck } from './privileged.js';
import { withSuggestions } from './explain-miss.js';
import { roleAssignmentsRequest, userRequest } from './requests.js';
import { mailLookupRequest, pickUser, resolveUser, toResolvedUser, USER_SELECT, type ResolvedUser } from './user.js';

/**
 * The user plus whether they are an administrator, in ONE Graph round trip for the usual case:
 * user by UPN, by mail, their memberOf (addressed by the same UPN) and, when an object id was given,
 * their role assignments all go in one $batch: the admin check adds no sequential call.
 * When the user is found only by mail alias the privilege check needs the id, so it takes a second
 * round (checkPrivileged). With a UPN, AU-scoped role assignments are not seen (memberOf lists
 * tenant-wide roles and role-assignable groups); pass an object id to include them.
 */
export interface UserWithPrivileges {
  user: ResolvedUser;
  privilege: PrivilegeCheck;
}

const STEP = 'resolve_user';

export async function resolveUserWithPrivileges(graph: GraphClient, upnOrMail: string): Promise<UserWithPrivileges> {
  const input = upnOrMail.trim();
  if (!input.includes('@') && !isGuid(input)) {
    const user = await resolveUser(graph, input);
    return { user, privilege: await checkPrivileged(graph, user.id) };
  }
  const requests = [
    userRequest('byUpn', input, USER_SELECT),
    memberOfRequest(input),
    ...(input.includes('@') ? [mailLookupRequest(input)] : []),
    ...(isGuid(input)
      ? [roleAssignmentsRequest('assignments', input)]
      : []),
  ];
  const results = await runBatch(graph, requests, { step: STEP });
  const byUpn = results.get('byupn');
  const memberOf = results.get('memberof');
  const assignments = results.get('assignments');
  if (byUpn && byUpn.status < 300) {
    if (!memberOf || memberOf.error) throw (memberOf?.error ?? new Error('No $batch answer for memberOf.')) as AppError;
    if (assignments?.error) throw assignments.error; // a refused read is reported, never taken as "no roles"
    const user = toResolvedUser(byUpn.body as Record<string, unknown>, isGuid(input) ? 'id' : 'userPrincipalName');
    return { user, privilege: rolesFrom(assignments?.body, memberOf.body) };
  }
  // Not found by UPN: the mail answer from the same batch decides; privileges then need the id.
  const user = await withSuggestions(graph, () => pickUser(input, byUpn, results.get('bymail')));
  return { user, privilege: await checkPrivileged(graph, user.id) };
}
