import { AppError } from '../../errors/app-error.js';
import { runBatch, type BatchItemResult, type BatchRequest } from '../../graph/batch.js';
import type { GraphClient } from '../../graph/client.js';
import { mailLookupRequest, pickUser, USER_SELECT, type ResolvedUser } from '../../lookups/user.js';
import { withSuggestions } from '../../lookups/explain-miss.js';
import { groupsByMailOrProxyRequest, userRequest } from '../../lookups/requests.js';
import {
  permissionStepName,
  type MailboxPermissionAction,
  type MailboxPermissionType,
  type PlannedPrincipal,
  type SharedMailboxPermissionPlan,
} from './plan-types.js';

export type { SharedMailboxPermissionPlan } from './plan-types.js';

/**
 * Plans a shared-mailbox permission change with read-only Graph look-ups, all in ONE $batch: the user
 * (by UPN, and by mail/proxy address), the mailbox address (the same two ways) and whether that address
 * belongs to a group instead. Graph cannot tell a shared mailbox from a user mailbox (its user resource
 * carries no Exchange recipient type), so the plan only proves the address is a mail-enabled user object; the runbook checks the
 * Exchange recipient type and refuses anything but a SharedMailbox. The runbook gets the RESOLVED
 * addresses, never the raw ticket values.
 */
export interface SharedMailboxPermissionPlanInput {
  sharedMailboxEmail: string;
  userEmail: string;
  permissionType: MailboxPermissionType;
  action: MailboxPermissionAction;
  autoMapping: boolean;
}

const GROUP_SELECT = ['id', 'displayName', 'mail', 'groupTypes', 'mailEnabled', 'securityEnabled'];

function refuse(message: string, fix: string, step: string, details?: Record<string, unknown>): AppError {
  return new AppError({ code: 'refused', message, status: 422, fix, step, retryable: false, ...(details ? { details } : {}) });
}

function label(p: { displayName: string; userPrincipalName: string }): string {
  return p.displayName ? `${p.displayName} (${p.userPrincipalName})` : p.userPrincipalName;
}

function principal(user: ResolvedUser): PlannedPrincipal {
  return { id: user.id, userPrincipalName: user.userPrincipalName, displayName: user.displayName, mail: user.mail };
}

/** The batch: user and mailbox each by UPN and by mail/proxy address, plus groups holding the mailbox address. */
export function planRequests(userEmail: string, mailboxEmail: string): BatchRequest[] {
  return [
    userRequest('userByUpn', userEmail, USER_SELECT),
    { ...mailLookupRequest(userEmail), id: 'userByMail' },
    userRequest('mailboxByUpn', mailboxEmail, USER_SELECT),
    { ...mailLookupRequest(mailboxEmail), id: 'mailboxByMail' },
    groupsByMailOrProxyRequest('mailboxAsGroup', mailboxEmail, GROUP_SELECT),
  ];
}

/** The mailbox address as a user object; a group or nothing at all is refused with what to do instead. */
function resolveMailbox(address: string, byUpn: BatchItemResult | undefined, byMail: BatchItemResult | undefined, asGroup: BatchItemResult | undefined): ResolvedUser {
  try {
    return pickUser(address, byUpn, byMail);
  } catch (err) {
    // Ambiguity, throttling and outages surface as they are; only a real miss asks "is it a group?".
    if (!(err instanceof AppError) || err.code !== 'not_found') throw err;
    const groups = asGroup && asGroup.status < 300 ? ((asGroup.body as { value?: Array<Record<string, unknown>> }).value ?? []) : [];
    const group = groups[0];
    if (group) {
      const name = typeof group.displayName === 'string' ? group.displayName : address;
      const unified = Array.isArray(group.groupTypes) && group.groupTypes.includes('Unified');
      throw refuse(
        `"${address}" belongs to the group "${name}" (${unified ? 'a Microsoft 365 group' : 'a distribution list or mail-enabled security group'}), not to a shared mailbox.`,
        unified
          ? 'To give someone access to a Microsoft 365 group\'s mailbox, add them to the group (an "Add User to Group" ticket).'
          : 'To let someone receive this mail, add them to the group (an "Add User to Group" ticket); Send As on a group is changed by hand in the Exchange admin center.',
        'resolve_mailbox',
        { groupId: group.id },
      );
    }
    throw new AppError({
      code: 'not_found',
      message: `No mailbox has the address "${address}".`,
      status: 404,
      fix: "Check the shared mailbox's address in the ticket (Exchange admin center → Recipients → Mailboxes → Shared).",
      step: 'resolve_mailbox',
      upstreamStatus: 404,
      details: { lookup: { kind: 'user', input: address } },
    });
  }
}

function checkPair(input: SharedMailboxPermissionPlanInput, user: ResolvedUser, mailbox: ResolvedUser): void {
  if (user.id === mailbox.id) {
    throw refuse(
      `${label(user)} is the mailbox itself: nobody needs a permission on their own mailbox.`,
      'Put the person who needs access in User Email and the shared mailbox in Shared Mailbox Email.',
      'check_request',
      { userId: user.id },
    );
  }
  if (!mailbox.mail) {
    throw refuse(
      `${label(mailbox)} has no mailbox in Exchange Online, so there is nothing to give access to.`,
      'Check the shared mailbox address in the ticket; a user without an Exchange licence has no mailbox.',
      'resolve_mailbox',
      { mailboxId: mailbox.id },
    );
  }
  if (input.action !== 'Grant') return;
  if (user.accountEnabled === false) {
    throw refuse(
      `${label(user)}'s account is disabled, so no new mailbox permission is granted to it.`,
      'Re-enable the account first if the person still needs access, or check that the ticket names the right user.',
      'check_user',
      { userId: user.id },
    );
  }
  if (!user.mail) {
    throw refuse(
      `${label(user)} has no e-mail address in Exchange Online, so Exchange cannot give them ${input.permissionType} on a mailbox.`,
      'Give the user an Exchange Online licence (a mailbox) first, wait a few minutes, then send the request again.',
      'check_user',
      { userId: user.id },
    );
  }
}

function notesFor(input: SharedMailboxPermissionPlanInput): string[] {
  if (input.permissionType === 'Full Access' && input.action === 'Grant') {
    return [input.autoMapping ? 'Outlook will add the mailbox automatically (AutoMapping on).' : 'Outlook will not add the mailbox automatically (AutoMapping off); the user opens it by hand.'];
  }
  return [];
}

function previewMessage(input: SharedMailboxPermissionPlanInput, user: ResolvedUser, mailboxLabel: string): string {
  const grant = input.action === 'Grant';
  return `${label(user)} ${grant ? 'will get' : 'will lose'} ${input.permissionType} on ${mailboxLabel} in Exchange Online (takes a few minutes).`;
}

export async function planSharedMailboxPermission(graph: GraphClient, input: SharedMailboxPermissionPlanInput): Promise<SharedMailboxPermissionPlan> {
  const userEmail = input.userEmail.trim();
  const mailboxEmail = input.sharedMailboxEmail.trim();
  const answers = await runBatch(graph, planRequests(userEmail, mailboxEmail), { step: 'resolve_user' });
  const user = await withSuggestions(graph, () => pickUser(userEmail, answers.get('userbyupn'), answers.get('userbymail')));
  const mailbox = await withSuggestions(graph, () => resolveMailbox(mailboxEmail, answers.get('mailboxbyupn'), answers.get('mailboxbymail'), answers.get('mailboxasgroup')));
  checkPair(input, user, mailbox);

  const address = mailbox.mail ?? mailbox.userPrincipalName;
  const mailboxLabel = mailbox.displayName ? `${mailbox.displayName} (${address})` : address;
  const step = permissionStepName(input.action, input.permissionType, address);
  const message = previewMessage(input, user, mailboxLabel);
  return {
    intent: 'shared-mailbox-permission',
    user: principal(user),
    mailbox: { ...principal(mailbox), address },
    permissionType: input.permissionType,
    action: input.action,
    autoMapping: input.autoMapping,
    step,
    runbookParameters: {
      SharedMailboxEmail: address,
      UserEmail: user.userPrincipalName,
      PermissionType: input.permissionType,
      Action: input.action,
      AutoMapping: input.autoMapping,
    },
    longRunning: true,
    notes: notesFor(input),
    preview: { message, steps: [{ name: step, status: 'planned', detail: message }] },
  };
}
