import type { AppError } from '../../errors/app-error.js';
import type { BatchItemResult, BatchRequest } from '../../graph/batch.js';
import { domainsRequest, groupsByMailRequest, userRequest, usersByMailRequest } from '../../lookups/requests.js';
import type { PlanError } from './plan-types.js';

/**
 * Checks the two addresses an offboarding ticket may name (forward-to and manager access) in the same
 * $batch as the user look-up, so they cost no extra round trip. An address in one of the tenant's
 * verified domains must exist (a user, or for forwarding also a mail-enabled group). Forwarding to an
 * address outside the tenant's verified domains is refused unless the setting ALLOW_EXTERNAL_FORWARDING
 * is true: Microsoft 365's default outbound spam policy blocks automatic external forwarding
 * ("Control automatic external email forwarding in Microsoft 365",
 * https://learn.microsoft.com/defender-office-365/outbound-spam-policies-external-email-forwarding), and
 * the Set-MailboxOffboarding runbook refuses it too unless its AllowExternalForwarding variable is true.
 * Manager access needs a person in this tenant: the address given, or with "yes" the user's manager
 * as Entra ID records it (GET /users/{id}/manager, https://learn.microsoft.com/graph/api/user-list-manager).
 */
export type AddressRole = 'forward' | 'manager';

export const RECIPIENT_SELECT = ['id', 'userPrincipalName', 'displayName', 'mail', 'accountEnabled', 'userType'];

export function addressRequests(role: AddressRole, address: string): BatchRequest[] {
  const requests: BatchRequest[] = [userRequest(`${role}upn`, address, RECIPIENT_SELECT), usersByMailRequest(`${role}mail`, address, RECIPIENT_SELECT)];
  if (role === 'forward') requests.push(groupsByMailRequest('forwardgroup', address, ['id', 'displayName', 'mail']));
  return requests;
}

export const DOMAINS_REQUEST: BatchRequest = domainsRequest('domains', ['id', 'isVerified']);

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

/** The domains read failed (the forwarding check is then unknown): its error, if Graph gave one. */
function domainsReadFailure(results: Map<string, BatchItemResult>): { error?: AppError } | undefined {
  const answer = results.get('domains');
  if (answer && answer.status < 300) return undefined;
  return answer?.error ? { error: answer.error } : {};
}

/** A read that failed for a reason other than "not there" (throttling, permissions): the check is unknown. */
function unreadable(results: Map<string, BatchItemResult>, role: AddressRole): BatchItemResult | undefined {
  const ids = role === 'forward' ? ['forwardupn', 'forwardmail', 'forwardgroup'] : ['managerupn', 'managermail'];
  return ids.map((id) => results.get(id)).find((r) => r !== undefined && r.status >= 400 && r.status !== 404 && r.status !== 400);
}

export interface AddressPolicy {
  /** ALLOW_EXTERNAL_FORWARDING: forwarding outside the tenant's verified domains is allowed. */
  allowExternalForwarding: boolean;
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/** Forwarding outside the tenant's verified domains, refused up front unless the setting allows it. */
function externalForwardCheck(address: string, step: string, results: Map<string, BatchItemResult>, domains: Set<string>, policy: AddressPolicy): AddressCheck | undefined {
  const domain = domainOf(address);
  if (domains.has(domain)) return undefined;
  const failed = domainsReadFailure(results);
  if (failed) {
    const reason = failed.error?.message ?? 'the read of the tenant\'s domains did not answer';
    return {
      ok: false,
      address,
      label: address,
      internal: false,
      error: {
        code: failed.error?.code ?? 'service_unavailable',
        message: `Whether ${address} is inside the organisation could not be checked: ${reason.replace(/\.$/, '')}.`,
        fix: failed.error?.fix ?? 'Send the request again in a few minutes, or set up the forwarding by hand in the Exchange admin center.',
        step,
        retryable: failed.error?.retryable ?? true,
      },
    };
  }
  if (policy.allowExternalForwarding) {
    return {
      ok: true,
      address,
      label: address,
      internal: false,
      note: `${address} is outside the organisation; forwarding there is allowed by ALLOW_EXTERNAL_FORWARDING, but the tenant's outbound spam policy must also allow automatic external forwarding (https://learn.microsoft.com/defender-office-365/outbound-spam-policies-external-email-forwarding).`,
    };
  }
  const message =
    `Forwarding to ${address} is refused: ${domain} is not one of the organisation's domains, and automatic forwarding to outside addresses is turned off for this automation ` +
    `(Microsoft 365's default outbound spam policy blocks it too: https://learn.microsoft.com/defender-office-365/outbound-spam-policies-external-email-forwarding).`;
  return {
    ok: false,
    address,
    label: address,
    internal: false,
    error: {
      code: 'refused',
      message,
      fix: 'Forward to a mailbox inside the organisation (e.g. the manager or a shared mailbox). If outside forwarding is really wanted, the MSP must allow it in the outbound spam policy and set ALLOW_EXTERNAL_FORWARDING (and the Automation variable AllowExternalForwarding) to true, then send the request again.',
      step,
      retryable: false,
    },
  };
}

function guestManager(address: string, name: string, step: string): AddressCheck {
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

function personCheck(role: AddressRole, user: Raw, fallback: string, step: string): AddressCheck {
  const upn = String(user.userPrincipalName ?? fallback);
  const name = typeof user.displayName === 'string' && user.displayName ? `${user.displayName} (${upn})` : upn;
  if (role === 'manager' && user.userType === 'Guest') return guestManager(upn, name, step);
  const disabled = user.accountEnabled === false ? ` Note: ${name} is itself disabled.` : '';
  return { ok: true, address: upn, label: name, internal: true, ...(disabled ? { note: disabled.trim() } : {}) };
}

/**
 * "Grant Manager Access: yes": the user's manager from Entra ID (the `manager` read of the plan's $batch,
 * GET /users/{id}/manager; Graph answers 404 when none is set). No manager refuses only this step.
 */
export function checkDirectoryManager(answer: BatchItemResult | undefined, who: string, step: string): AddressCheck {
  if (answer && answer.status < 300 && answer.body && typeof answer.body === 'object') {
    const manager = answer.body as Raw;
    if (manager['@odata.type'] !== undefined && manager['@odata.type'] !== '#microsoft.graph.user') {
      const message = `The manager recorded for ${who} (${String(manager.displayName ?? manager.id ?? 'unknown')}) is not a user account, so it cannot be given access to the mailbox.`;
      return { ok: false, address: '', label: 'the manager', internal: true, error: { code: 'refused', message, fix: 'Give the address of the person who should get the mailbox in "Grant Manager Access" instead of yes.', step, retryable: false } };
    }
    return personCheck('manager', manager, String(manager.mail ?? ''), step);
  }
  if (!answer || answer.status === 404) {
    const message = `${who} has no manager set in Entra ID, so "Grant Manager Access: yes" has no one to give the mailbox to.`;
    return {
      ok: false,
      address: '',
      label: 'the manager',
      internal: true,
      error: {
        code: 'refused',
        message,
        fix: `Give the manager's e-mail address in "Grant Manager Access" and send the request again, or set the manager of ${who} in the Microsoft Entra admin center (Users > the user > Properties > Manager) first.`,
        step,
        retryable: false,
      },
    };
  }
  if (answer.status === 403 && answer.error) throw answer.error;
  const reason = answer.error?.message ?? `Graph answered ${answer.status}`;
  return {
    ok: false,
    address: '',
    label: 'the manager',
    internal: true,
    error: {
      code: answer.error?.code ?? 'service_unavailable',
      message: `The manager of ${who} could not be read: ${reason.replace(/\.$/, '')}.`,
      fix: answer.error?.fix ?? "Send the request again in a few minutes, or give the manager's address in \"Grant Manager Access\".",
      step,
      retryable: answer.error?.retryable ?? true,
    },
  };
}

export function checkAddress(
  role: AddressRole,
  address: string,
  step: string,
  results: Map<string, BatchItemResult>,
  domains: Set<string>,
  policy: AddressPolicy = { allowExternalForwarding: false },
): AddressCheck {
  const what = role === 'forward' ? 'forwarding address' : 'manager';
  if (role === 'forward') {
    // An outside address goes to Exchange as given: a guest account holding it is no mailbox of this tenant.
    const external = externalForwardCheck(address, step, results, domains, policy);
    if (external) return external;
  }
  const user = firstUser(results, role);
  if (user) return personCheck(role, user, address, step);
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
  const internalDomain = domains.has(domainOf(address));
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
