import type { BatchItemResult, BatchRequest } from '../../graph/batch.js';
import { buildQuery, odataString } from '../../graph/odata.js';
import { userPath } from '../../graph/path.js';
import type { PlanError } from './plan-types.js';

/**
 * Checks the two addresses an offboarding ticket may name (forward-to and manager access) in the same
 * $batch as the user look-up, so they cost no extra round trip. An address in one of the tenant's
 * verified domains must exist (a user, or for forwarding also a mail-enabled group); forwarding to an
 * outside address is allowed (Exchange forwards to any SMTP address) and noted. Manager access needs
 * a person in this tenant.
 */
export type AddressRole = 'forward' | 'manager';

const RECIPIENT_SELECT = ['id', 'userPrincipalName', 'displayName', 'mail', 'accountEnabled', 'userType'];

export function addressRequests(role: AddressRole, address: string): BatchRequest[] {
  const requests: BatchRequest[] = [
    { id: `${role}upn`, method: 'GET', url: `${userPath(address)}${buildQuery({ $select: RECIPIENT_SELECT })}` },
    {
      id: `${role}mail`,
      method: 'GET',
      url: `/users${buildQuery({
        $filter: `mail eq ${odataString(address)} or proxyAddresses/any(p:p eq ${odataString(`smtp:${address}`)})`,
        $select: RECIPIENT_SELECT,
        $count: 'true',
      })}`,
      headers: { ConsistencyLevel: 'eventual' },
    },
  ];
  if (role === 'forward') {
    requests.push({ id: 'forwardgroup', method: 'GET', url: `/groups${buildQuery({ $filter: `mail eq ${odataString(address)}`, $select: ['id', 'displayName', 'mail'] })}` });
  }
  return requests;
}

export const DOMAINS_REQUEST: BatchRequest = { id: 'domains', method: 'GET', url: `/domains${buildQuery({ $select: ['id', 'isVerified'] })}` };

export interface AddressCheck {
  ok: boolean;
  /** The address to hand to Exchange (a found user's UPN for a person in this tenant, else as given). */
  address: string;
  /** Who it is, for messages. */
  label: string;
  internal: boolean;
  note?: string;
  error?: PlanError;
}

type Raw = Record<string, unknown>;

function firstUser(results: Map<string, BatchItemResult>, role: AddressRole): Raw | undefined {
  const byUpn = results.get(`${role}upn`);
  if (byUpn && byUpn.status < 300) return byUpn.body as Raw;
  const byMail = results.get(`${role}mail`);
  const list = ((byMail?.status ?? 500) < 300 ? ((byMail?.body as { value?: Raw[] } | undefined)?.value ?? []) : []) as Raw[];
  return list.length === 1 ? list[0] : undefined;
}

/** Tenant domains that are verified (lower case); empty when the domains read failed. */
export function verifiedDomains(results: Map<string, BatchItemResult>): Set<string> {
  const answer = results.get('domains');
  const list = ((answer?.status ?? 500) < 300 ? ((answer?.body as { value?: Raw[] } | undefined)?.value ?? []) : []) as Raw[];
  return new Set(list.filter((d) => d.isVerified !== false).map((d) => String(d.id).toLowerCase()));
}

/** A read that failed for a reason other than "not there" (throttling, permissions): the check is unknown. */
function unreadable(results: Map<string, BatchItemResult>, role: AddressRole): BatchItemResult | undefined {
  const ids = role === 'forward' ? ['forwardupn', 'forwardmail', 'forwardgroup'] : ['managerupn', 'managermail'];
  return ids.map((id) => results.get(id)).find((r) => r !== undefined && r.status >= 400 && r.status !== 404 && r.status !== 400);
}

export function checkAddress(
  role: AddressRole,
  address: string,
  step: string,
  results: Map<string, BatchItemResult>,
  domains: Set<string>,
): AddressCheck {
  const what = role === 'forward' ? 'forwarding address' : 'manager';
  const user = firstUser(results, role);
  if (user) {
    const upn = String(user.userPrincipalName ?? address);
    const name = typeof user.displayName === 'string' && user.displayName ? `${user.displayName} (${upn})` : upn;
    if (role === 'manager' && user.userType === 'Guest') {
      return {
        ok: false,
        address,
        label: name,
        internal: true,
        error: {
          code: 'refused',
          message: `The manager ${name} is a guest account; mailbox access is only given to people in this organisation.`,
          fix: 'Give the address of a member of the organisation in "Grant Manager Access".',
          step,
          retryable: false,
        },
      };
    }
    const disabled = user.accountEnabled === false ? ` Note: ${name} is itself disabled.` : '';
    return { ok: true, address: upn, label: name, internal: true, ...(disabled ? { note: disabled.trim() } : {}) };
  }
  const group = role === 'forward' ? ((results.get('forwardgroup')?.body as { value?: Raw[] } | undefined)?.value ?? [])[0] : undefined;
  if (group) {
    return { ok: true, address: String(group.mail ?? address), label: `the group ${String(group.displayName ?? address)} (${String(group.mail ?? address)})`, internal: true };
  }
  const failed = unreadable(results, role);
  if (failed?.error) {
    return {
      ok: false,
      address,
      label: address,
      internal: false,
      error: { code: failed.error.code, message: `The ${what} ${address} could not be checked: ${failed.error.message}`, fix: failed.error.fix, step, retryable: failed.error.retryable },
    };
  }
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  const internalDomain = domains.has(domain);
  if (role === 'forward' && !internalDomain) {
    return {
      ok: true,
      address,
      label: address,
      internal: false,
      note: `${address} is outside the organisation; the tenant's outbound spam policy may block automatic external forwarding.`,
    };
  }
  return {
    ok: false,
    address,
    label: address,
    internal: internalDomain,
    error: {
      code: 'not_found',
      message: internalDomain
        ? `No one in the organisation has the address ${address} (${what}).`
        : `${address} is not a person in this organisation, so they cannot be given access to the mailbox.`,
      fix: `Check the spelling of the ${what} in the ticket, or leave it out and handle it by hand.`,
      step,
      retryable: false,
    },
  };
}
