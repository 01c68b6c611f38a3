import { doneEarlier, type DoneStep, type PreviousAttempt } from '../../idempotency/previous-attempt.js';
import { formatUtc } from '../../idempotency/utc-time.js';
import { AppError } from '../../errors/app-error.js';
import { runBatch, type BatchItemResult } from '../../graph/batch.js';
import type { GraphClient } from '../../graph/client.js';
import { rolesFrom } from '../../lookups/privileged.js';
import { pickUser, type ResolvedUser } from '../../lookups/user.js';
import { withSuggestions } from '../../lookups/explain-miss.js';
import { roleAssignmentsRequest } from '../../lookups/requests.js';
import { checkAddress, checkDirectoryManager, verifiedDomains, type AddressCheck } from './addresses.js';
import { planGroups, type GroupItem } from './groups.js';
import { licenceGroupIds, splitLicences } from './licences.js';
import { planMailbox } from './mailbox.js';
import { firstRoundRequests, ownersRequests, relationRequests, type PlanReadOptions } from './plan-requests.js';
import { OFFBOARDING_STEPS as S, type PlannedStep, type UserOffboardingPlan } from './plan-types.js';
import { previewOf } from './preview.js';

export type { UserOffboardingPlan } from './plan-types.js';

/**
 * Plans a User Offboarding with read-only look-ups: one $batch reads the user (by UPN, and by mail as
 * a fallback), their memberOf (admin roles and groups), owned groups, mailbox settings, the tenant's
 * SKUs and domains, and the forward-to / manager addresses; a second round only reads the owners of
 * owned groups ("Remove Groups") and, for a user found by mail alias, the relations by id.
 * Administrators are refused (an admin must be offboarded by a person). A user already
 * disabled with nothing else asked is `alreadyDone`. Everything else becomes an ordered list of steps
 * (cut access, mailbox, convert, THEN licences, groups: docs/workflow-design.md), each planned, already done,
 * skipped with a reason, or refused with what to do instead.
 */
export interface UserOffboardingPlanInput {
  userEmail: string;
  revokeSessions: boolean;
  /** Not a ticket field yet: a random password is set unless this is explicitly false. */
  resetPassword?: boolean | undefined;
  removeLicenses: boolean;
  convertToSharedMailbox: boolean;
  removeFromGroups: boolean;
  hideFromAddressList: boolean;
  forwardTo?: string | undefined;
  autoReplyMessage?: string | undefined;
  /** An address, or `true` ("yes"): the user's manager as Entra ID records it. */
  managerAccess?: string | true | undefined;
  /**
   * What earlier attempts at this request did (the ledger's `previous`, docs/workflow-design.md "Resuming a
   * request"). Signing out and the random password leave nothing a look-up can see, so a recorded one is not
   * repeated; every other step is decided by fresh look-ups.
   */
  previous?: PreviousAttempt | undefined;
  /** PROTECTED_GROUPS: display names or ids automation must never change. */
  protectedGroups: readonly string[];
  /** ALLOW_EXTERNAL_FORWARDING: forwarding outside the tenant's verified domains is allowed (default no). */
  allowExternalForwarding?: boolean | undefined;
}

type Raw = Record<string, unknown>;

function label(user: ResolvedUser): string {
  return user.displayName ? `${user.displayName} (${user.userPrincipalName})` : user.userPrincipalName;
}

function valuesOf<T>(answer: BatchItemResult | undefined): T[] {
  return ((answer?.body as { value?: T[] } | undefined)?.value ?? []) as T[];
}

function required(answer: BatchItemResult | undefined, what: string): BatchItemResult {
  if (!answer) throw new Error(`No $batch answer for ${what}.`);
  if (answer.error) throw answer.error;
  return answer;
}

function rawUserOf(user: ResolvedUser, byUpn: BatchItemResult | undefined, byMail: BatchItemResult | undefined): Raw {
  if (byUpn && byUpn.status < 300) return byUpn.body as Raw;
  return valuesOf<Raw>(byMail).find((m) => String(m.id) === user.id) ?? {};
}

/** Whether the mailboxSettings read shows an Exchange Online mailbox: false only for Graph's "no mailbox" answers. */
function mailboxFacts(answer: BatchItemResult | undefined): { hasMailbox: boolean | null; replies: Raw | null } {
  if (!answer) return { hasMailbox: null, replies: null };
  if (answer.status < 300) {
    const replies = (answer.body as Raw | undefined)?.automaticRepliesSetting;
    return { hasMailbox: true, replies: replies && typeof replies === 'object' ? (replies as Raw) : null };
  }
  const code = answer.error?.graphCode ?? '';
  if (code === 'MailboxNotEnabledForRESTAPI' || code === 'ErrorMailboxNotEnabled' || answer.status === 404) return { hasMailbox: false, replies: null };
  // A refused read (403: the helpers lack MailboxSettings.Read) is reported, never planned around as "mailbox unknown".
  if (answer.status === 403 && answer.error) throw answer.error;
  return { hasMailbox: null, replies: null };
}

function anythingBeyondDisable(input: UserOffboardingPlanInput): boolean {
  return (
    input.removeLicenses ||
    input.convertToSharedMailbox ||
    input.removeFromGroups ||
    input.hideFromAddressList ||
    Boolean(input.forwardTo) ||
    Boolean(input.autoReplyMessage) ||
    Boolean(input.managerAccess)
  );
}

async function ownersOf(graph: GraphClient, owned: GroupItem[]): Promise<Map<string, string[]>> {
  const ids = owned.flatMap((g) => (typeof g.id === 'string' ? [g.id] : []));
  const owners = new Map<string, string[]>();
  if (ids.length === 0) return owners;
  const answers = await runBatch(graph, ownersRequests(ids), { step: 'check_group_owners' });
  ids.forEach((id, i) => {
    const answer = answers.get(`owners${i}`);
    // A refused read is reported (the helpers lack a permission); other unreadable owner lists leave the
    // group out and the write then reports Graph's own answer.
    if (answer?.status === 403 && answer.error) throw answer.error;
    if (answer && answer.status < 300) owners.set(id.toLowerCase(), valuesOf<{ id?: string }>(answer).flatMap((o) => (o.id ? [o.id] : [])));
  });
  return owners;
}

export async function planUserOffboarding(graph: GraphClient, input: UserOffboardingPlanInput): Promise<UserOffboardingPlan> {
  const upn = input.userEmail.trim();
  const options: PlanReadOptions = {
    removeFromGroups: input.removeFromGroups,
    mailboxWork: input.hideFromAddressList || Boolean(input.forwardTo) || Boolean(input.autoReplyMessage) || input.convertToSharedMailbox || Boolean(input.managerAccess),
    forwardTo: input.forwardTo,
    managerAccess: input.managerAccess,
  };
  const first = await runBatch(graph, firstRoundRequests(upn, options), { step: 'resolve_user' });
  const byUpn = first.get('byupn');
  const user = await withSuggestions(graph, () => pickUser(upn, byUpn, first.get('bymail')));
  const raw = rawUserOf(user, byUpn, first.get('bymail'));

  // Relations were read by the ticket's UPN; a user found by mail alias needs them by id (and its role assignments).
  let relations = first;
  if (!(byUpn && byUpn.status < 300)) {
    relations = await runBatch(
      graph,
      [
        ...relationRequests(user.id, options),
        roleAssignmentsRequest('assignments', user.id),
      ],
      { step: 'resolve_user' },
    );
  }
  const memberOf = required(relations.get('memberof'), 'memberOf');
  const assignments = relations.get('assignments');
  if (assignments?.status === 403 && assignments.error) throw assignments.error;
  const privilege = rolesFrom(assignments && assignments.status < 300 ? assignments.body : undefined, memberOf.body);
  const who = label(user);
  if (privilege.privileged) {
    throw new AppError({
      code: 'refused',
      message: `${who} is an administrator (${privilege.roles.join(', ')}); automation does not offboard administrator accounts.`,
      status: 422,
      fix: 'An administrator must be offboarded by a person: remove the admin roles and disable the account in the Microsoft 365 admin center (Global Administrator or Privileged Role Administrator), then handle the mailbox and licences.',
      step: 'check_privileged',
      retryable: false,
      details: { userId: user.id, roles: privilege.roles },
    });
  }

  const enabled = user.accountEnabled !== false;
  const base = {
    intent: 'user-offboarding' as const,
    user: { id: user.id, userPrincipalName: user.userPrincipalName, displayName: user.displayName, accountEnabled: enabled, mail: user.mail },
  };
  if (!enabled && !anythingBeyondDisable(input)) {
    const alreadyDone = `${who} is already disabled and nothing else was asked for; nothing was changed.`;
    const steps: PlannedStep[] = [{ name: S.blockSignIn, status: 'already_done', detail: `Sign-in of ${who} is already blocked.` }];
    return {
      ...base,
      alreadyDone,
      steps,
      writes: emptyWrites(),
      licences: { direct: [], inherited: [] },
      notes: [],
      longRunning: false,
      preview: previewOf(who, steps, alreadyDone),
    };
  }

  const steps: PlannedStep[] = [];
  const notes: string[] = [];
  steps.push(
    enabled
      ? { name: S.blockSignIn, status: 'planned', detail: `Block sign-in for ${who}.` }
      : { name: S.blockSignIn, status: 'already_done', detail: `Sign-in of ${who} is already blocked.` },
  );
  if (user.onPremisesSyncEnabled) {
    notes.push(`${who} is synchronised from on-premises Active Directory: disable the account there too, or the next synchronisation may enable it again.`);
  }
  const revokedEarlier = doneEarlier(input.previous, S.revokeSessions);
  const scrambledEarlier = doneEarlier(input.previous, S.resetPassword);
  const notRepeated = (done: DoneStep): string => `Done earlier by run ${done.runId} (${formatUtc(done.at)}); not repeated.`;
  if (input.revokeSessions) {
    steps.push(revokedEarlier ? { name: S.revokeSessions, status: 'skipped', detail: notRepeated(revokedEarlier) } : { name: S.revokeSessions, status: 'planned', detail: `Sign ${who} out of every session and app.` });
  }
  const resetPassword = input.resetPassword !== false;
  if (resetPassword) {
    steps.push(scrambledEarlier ? { name: S.resetPassword, status: 'skipped', detail: notRepeated(scrambledEarlier) } : { name: S.resetPassword, status: 'planned', detail: `Set a long random password nobody knows (it is not delivered).` });
  }

  // Mailbox work.
  const domains = verifiedDomains(first);
  const policy = { allowExternalForwarding: input.allowExternalForwarding === true };
  const forward: AddressCheck | null = input.forwardTo ? checkAddress('forward', input.forwardTo, S.forwardEmail, first, domains, policy) : null;
  const manager: AddressCheck | null =
    input.managerAccess === true
      ? checkDirectoryManager(relations.get('manager'), who, S.managerAccess)
      : input.managerAccess
        ? checkAddress('manager', input.managerAccess, S.managerAccess, first, domains, policy)
        : null;
  const mbx = mailboxFacts(options.mailboxWork ? relations.get('mailbox') : undefined);
  const mailbox = planMailbox(
    {
      hideFromAddressList: input.hideFromAddressList,
      forwardTo: input.forwardTo,
      autoReplyMessage: input.autoReplyMessage,
      convertToSharedMailbox: input.convertToSharedMailbox,
      managerAccess: input.managerAccess,
    },
    { userPrincipalName: user.userPrincipalName, who, hasMailbox: mbx.hasMailbox, currentReplies: mbx.replies, forward, manager },
  );
  steps.push(...mailbox.steps);
  notes.push(...mailbox.notes);

  // Groups first (in planning only): a removed membership also takes its group-based licence.
  const memberItems = valuesOf<GroupItem>(memberOf);
  const ownedAnswer = input.removeFromGroups ? required(relations.get('owned'), 'ownedObjects') : undefined;
  const owned = valuesOf<GroupItem>(ownedAnswer).filter((g) => (g['@odata.type'] ?? '#microsoft.graph.group') === '#microsoft.graph.group');
  const groupPlan = input.removeFromGroups
    ? planGroups({
        userId: user.id,
        userPrincipalName: user.userPrincipalName,
        memberOf: memberItems,
        owned,
        owners: await ownersOf(graph, owned),
        protectedGroups: input.protectedGroups,
        licenceGroupIds: licenceGroupIds(raw),
      })
    : undefined;

  const skuNames = new Map(valuesOf<{ skuId?: string; skuPartNumber?: string }>(first.get('skus')).flatMap((s) => (s.skuId && s.skuPartNumber ? [[s.skuId.toLowerCase(), s.skuPartNumber] as const] : [])));
  const groupNames = new Map(memberItems.flatMap((g) => (g.id && g.displayName ? [[g.id.toLowerCase(), g.displayName] as const] : [])));
  const licences = splitLicences(raw, skuNames, groupNames, groupPlan?.removedIds ?? new Set());
  let removeSkuIds: string[] = [];
  if (input.removeLicenses) {
    const after = input.convertToSharedMailbox ? ' (after the mailbox conversion has succeeded)' : '';
    if (licences.direct.length > 0) {
      removeSkuIds = licences.direct.map((l) => l.skuId);
      steps.push({ name: S.removeLicenses, status: 'planned', detail: `Remove ${licences.direct.map((l) => l.label).join(', ')} from ${who}${after}.` });
    } else {
      steps.push({ name: S.removeLicenses, status: 'already_done', detail: `${who} has no directly assigned licences.` });
    }
    if (!input.convertToSharedMailbox && mbx.hasMailbox === true && licences.direct.length > 0) {
      notes.push(`The mailbox is not converted to a shared mailbox: once its licence is gone, Exchange Online deletes it after 30 days.`);
    }
  }
  for (const l of licences.inherited) {
    const names = l.groups.map((g) => `"${g.displayName}"`).join(', ');
    const removed = l.groups.every((g) => g.removedWithMembership);
    notes.push(
      removed
        ? `${l.label} comes from the group ${names}; it goes when that membership is removed.`
        : `${l.label} comes from the group ${names} (group-based licensing) and stays until the user leaves that group${input.removeFromGroups ? '' : ' (set "Remove Groups" to do that)'}.`,
    );
  }
  if (groupPlan) steps.push(...groupPlan.steps);

  const writes = {
    ...emptyWrites(),
    blockSignIn: enabled,
    revokeSessions: input.revokeSessions && !revokedEarlier,
    resetPassword: resetPassword && !scrambledEarlier,
    mailboxRunbook: mailbox.mailboxRunbook,
    convertToShared: mailbox.convertToShared,
    managerAccess: mailbox.managerAccess,
    removeSkuIds,
    licenseGroups: groupPlan?.licenseGroups ?? [],
    graphGroups: groupPlan?.graphGroups ?? [],
    exchangeGroups: groupPlan?.exchangeGroups ?? [],
    ownedGroups: groupPlan?.ownedGroups ?? [],
  };
  return {
    ...base,
    alreadyDone: null,
    steps,
    writes,
    licences,
    notes,
    longRunning: writes.mailboxRunbook !== null || writes.convertToShared || writes.managerAccess !== null || writes.exchangeGroups.length > 0,
    preview: previewOf(who, steps, null),
  };
}

function emptyWrites(): UserOffboardingPlan['writes'] {
  return {
    blockSignIn: false,
    revokeSessions: false,
    resetPassword: false,
    mailboxRunbook: null,
    convertToShared: false,
    managerAccess: null,
    removeSkuIds: [],
    licenseGroups: [],
    graphGroups: [],
    exchangeGroups: [],
    ownedGroups: [],
  };
}
