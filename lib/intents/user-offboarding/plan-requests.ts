import type { BatchRequest } from '../../graph/batch.js';
import { buildQuery, odataString } from '../../graph/odata.js';
import { userPath } from '../../graph/path.js';
import { USER_SELECT } from '../../lookups/user.js';
import { addressRequests, DOMAINS_REQUEST, RECIPIENT_SELECT } from './addresses.js';

/**
 * The reads of an offboarding plan, as $batch items: everything independent goes in ONE round (the
 * reference system read the user, then the licences, sequentially). Relations are addressed by the
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
  const base = userPath(userKey);
  const requests: BatchRequest[] = [{ id: 'memberOf', method: 'GET', url: `${base}/memberOf${buildQuery({ $select: GROUP_FIELDS, $top: 999 })}` }];
  if (options.removeFromGroups) requests.push({ id: 'owned', method: 'GET', url: `${base}/ownedObjects${buildQuery({ $select: GROUP_FIELDS, $top: 999 })}` });
  if (options.mailboxWork) requests.push({ id: 'mailbox', method: 'GET', url: `${base}/mailboxSettings` });
  if (options.managerAccess === true) requests.push({ id: 'manager', method: 'GET', url: `${base}/manager${buildQuery({ $select: RECIPIENT_SELECT })}` });
  return requests;
}

export function firstRoundRequests(input: string, options: PlanReadOptions): BatchRequest[] {
  const requests: BatchRequest[] = [
    { id: 'byUpn', method: 'GET', url: `${userPath(input)}${buildQuery({ $select: USER_FIELDS })}` },
    { id: 'skus', method: 'GET', url: `/subscribedSkus${buildQuery({ $select: ['skuId', 'skuPartNumber'] })}` },
    ...relationRequests(input, options),
  ];
  if (input.includes('@')) {
    const filter = `mail eq ${odataString(input)} or proxyAddresses/any(p:p eq ${odataString(`smtp:${input}`)})`;
    requests.push({
      id: 'byMail',
      method: 'GET',
      url: `/users${buildQuery({ $filter: filter, $select: USER_FIELDS, $count: 'true' })}`,
      headers: { ConsistencyLevel: 'eventual' },
    });
  }
  if (options.forwardTo || options.managerAccess) requests.push(DOMAINS_REQUEST);
  if (options.forwardTo) requests.push(...addressRequests('forward', options.forwardTo));
  if (typeof options.managerAccess === 'string') requests.push(...addressRequests('manager', options.managerAccess));
  return requests;
}

export function ownersRequests(groupIds: readonly string[]): BatchRequest[] {
  return groupIds.map((id, i) => ({ id: `owners${i}`, method: 'GET' as const, url: `/groups/${encodeURIComponent(id)}/owners${buildQuery({ $select: ['id'], $top: 999 })}` }));
}
