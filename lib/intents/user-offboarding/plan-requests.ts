import type { BatchRequest } from '../../graph/batch.js';
import {
  groupOwnersRequest,
  subscribedSkusRequest,
  userMailboxSettingsRequest,
  userManagerRequest,
  userMemberOfRequest,
  userOwnedObjectsRequest,
  userRequest,
  usersByMailRequest,
} from '../../lookups/requests.js';
import { USER_SELECT } from '../../lookups/user.js';
import { addressRequests, DOMAINS_REQUEST, RECIPIENT_SELECT } from './addresses.js';

/**
 * The reads of an offboarding plan, as $batch items built by lib/lookups/requests.ts: everything
 * independent goes in ONE round rather than the user, then the licences, sequentially. Relations are addressed by the
 * ticket's UPN so they share the round with the user look-up; a user found only by mail address
 * has them re-read by id (relationRequests).
 */
export const USER_FIELDS = [...USER_SELECT, 'licenseAssignmentStates'];

const GROUP_FIELDS = ['id', 'displayName', 'mail', 'groupTypes', 'mailEnabled', 'securityEnabled', 'onPremisesSyncEnabled', 'isAssignableToRole', 'roleTemplateId'];

export interface PlanReadOptions {
  removeFromGroups: boolean;
  mailboxWork: boolean;
  forwardTo?: string | undefined;
  /** An address, or `true`: the user's manager from Entra ID (read with the relations). */
  managerAccess?: string | true | undefined;
}

/**
 * memberOf (groups and directory roles: privileges and memberships), ownedObjects, mailboxSettings, and
 * for "Grant Manager Access: yes" the manager (https://learn.microsoft.com/graph/api/user-list-manager;
 * Directory.Read.All, lib/permissions/graph-calls.ts `user-manager-get`).
 */
export function relationRequests(userKey: string, options: PlanReadOptions): BatchRequest[] {
  const requests: BatchRequest[] = [userMemberOfRequest('memberOf', userKey, GROUP_FIELDS)];
  if (options.removeFromGroups) requests.push(userOwnedObjectsRequest('owned', userKey, GROUP_FIELDS));
  if (options.mailboxWork) requests.push(userMailboxSettingsRequest('mailbox', userKey));
  if (options.managerAccess === true) requests.push(userManagerRequest('manager', userKey, RECIPIENT_SELECT));
  return requests;
}

export function firstRoundRequests(input: string, options: PlanReadOptions): BatchRequest[] {
  const requests: BatchRequest[] = [
    userRequest('byUpn', input, USER_FIELDS),
    subscribedSkusRequest('skus', ['skuId', 'skuPartNumber']),
    ...relationRequests(input, options),
  ];
  if (input.includes('@')) {
    requests.push(usersByMailRequest('byMail', input, USER_FIELDS));
  }
  if (options.forwardTo || options.managerAccess) requests.push(DOMAINS_REQUEST);
  if (options.forwardTo) requests.push(...addressRequests('forward', options.forwardTo));
  if (typeof options.managerAccess === 'string') requests.push(...addressRequests('manager', options.managerAccess));
  return requests;
}

export function ownersRequests(groupIds: readonly string[]): BatchRequest[] {
  return groupIds.map((id, i) => groupOwnersRequest(`owners${i}`, id));
}
