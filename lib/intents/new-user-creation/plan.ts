import { AppError } from '../../errors/app-error.js';
import type { GraphClient } from '../../graph/client.js';
import { assertDomainVerified, checkMemberships, resolveGroups, resolveLicense, resolveUser, type ResolvedLicense, type ResolvedUser } from '../../lookups/index.js';
import { membershipChanges } from '../shared/group-membership/changes.js';
import { screenGroup } from '../shared/group-membership/decide.js';
import { findExistingAccounts, type ExistingAccount } from './existing-accounts.js';
import { sanitiseMailNickname } from './mail-nickname.js';
import { NEW_USER_STEPS, type CreateUserBody, type NewUserPlan, type PlannedLicense } from './plan-types.js';

export type { NewUserPlan } from './plan-types.js';

/**
 * Plans a new account with read-only look-ups, all in one round: the UPN's domain, who already holds
 * the name or its addresses, the licence, the groups and the manager are asked at once. Everything
 * that would stop the account from being usable is refused before anything is written (unverified
 * domain, name taken, unknown licence, no free seat, no usage location for a licence, unknown
 * manager), so a refused ticket never leaves a half-made account. Groups are judged one by one as in
 * the group intents: a group that cannot be changed is reported and the others go ahead.
 *
 * Retries: an account with the same UPN and display name is taken to be the one an earlier run of
 * this ticket created (the webhook was retried after a timeout), so creation is already_done and the
 * remaining steps continue against it; writing nothing it already has.
 */
/** The normalised fields (lib/intents/new-user-creation/schema.ts), as the helper receives them. */
export interface NewUserCreationFields {
  displayName: string;
  userPrincipalName: string;
  firstName?: string | undefined;
  lastName?: string | undefined;
  department?: string | undefined;
  jobTitle?: string | undefined;
  license?: string | undefined;
  groupNames: readonly string[];
  usageLocation?: string | undefined;
  managerEmail?: string | undefined;
}

export interface NewUserPlanInput {
  fields: NewUserCreationFields;
  /** PROTECTED_GROUPS: display names or ids automation must never change. */
  protectedGroups: readonly string[];
  /** The installation's default usage location (parameters('defaultUsageLocation') or the setting). */
  defaultUsageLocation?: string | undefined;
}

function refuse(code: 'refused' | 'conflict', message: string, fix: string, step: string, details?: Record<string, unknown>): AppError {
  return new AppError({ code, message, status: code === 'conflict' ? 409 : 422, fix, step, retryable: false, ...(details ? { details } : {}) });
}

function label(u: { displayName: string; userPrincipalName: string }): string {
  return u.displayName ? `${u.displayName} (${u.userPrincipalName})` : u.userPrincipalName;
}

const sameText = (a: string, b: string) => a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase();

function checkMailNickname(nickname: string, upn: string): void {
  if (nickname) return;
  throw refuse(
    'refused',
    `The sign-in name "${upn}" has no characters Microsoft allows in a mail alias before the @.`,
    'Use a sign-in name whose part before the @ has letters or digits, e.g. "jane.doe@contoso.com".',
    'check_mail_nickname',
  );
}

/** Refuses when someone else holds the UPN or its addresses; returns the account this ticket made earlier. */
function judgeExisting(byUpn: ExistingAccount | undefined, clashes: ExistingAccount[], fields: NewUserCreationFields, nickname: string): ExistingAccount | undefined {
  if (byUpn && !sameText(byUpn.displayName, fields.displayName)) {
    throw refuse(
      'conflict',
      `A user with this sign-in name already exists: ${byUpn.userPrincipalName} (${byUpn.displayName}).`,
      'Choose another sign-in name for the new account, or, if this is the same person, use the existing account (e.g. with "Add User to Group" / "License Assignment" tickets) instead of creating one.',
      'check_existing_user',
      { existingUserId: byUpn.id },
    );
  }
  const clash = clashes[0];
  if (clash) {
    const what = clash.mailNickname?.toLowerCase() === nickname.toLowerCase() && clash.mail?.toLowerCase() !== fields.userPrincipalName.toLowerCase() ? `the mail alias "${nickname}"` : `the address ${fields.userPrincipalName}`;
    throw refuse(
      'conflict',
      `${what[0]?.toUpperCase()}${what.slice(1)} is already used by ${label(clash)}.`,
      'Choose another sign-in name for the new account (its alias comes from the part before the @), or remove the address from the existing account first.',
      'check_existing_user',
      { existingUserId: clash.id },
    );
  }
  return byUpn;
}

function usageLocationOf(fields: NewUserCreationFields, defaultUsageLocation: string | undefined): { value: string | null; source: 'field' | 'default' | null } {
  const fromField = fields.usageLocation?.trim().toUpperCase();
  if (fromField) return { value: fromField, source: 'field' };
  const fromDefault = defaultUsageLocation?.trim().toUpperCase();
  if (fromDefault && /^[A-Z]{2}$/.test(fromDefault)) return { value: fromDefault, source: 'default' };
  return { value: null, source: null };
}

function planLicense(license: ResolvedLicense, existing: ExistingAccount | undefined, usageLocation: string | null): PlannedLicense {
  const base = { skuId: license.skuId, skuPartNumber: license.skuPartNumber, productName: license.productName, total: license.total, consumed: license.consumed, free: license.free };
  if (existing?.assignedSkuIds.includes(license.skuId.toLowerCase())) return { ...base, change: 'none' };
  const what = license.productName === license.skuPartNumber ? license.skuPartNumber : `${license.productName} (${license.skuPartNumber})`;
  if (license.free <= 0) {
    throw new AppError({
      code: 'quota_exceeded',
      message: `No free ${what} licences: ${license.consumed} of ${license.total} are in use, so the new account could not be licensed.`,
      status: 409,
      fix: `Buy more ${what} seats or remove the licence from someone who no longer needs it, then send the request again (nothing was created).`,
      step: 'check_seats',
      retryable: false,
      details: { skuId: license.skuId, consumed: license.consumed, total: license.total },
    });
  }
  if (!usageLocation) {
    throw refuse(
      'refused',
      'A licence needs a usage location, and neither the ticket nor the installation names one.',
      'Add a "Usage Location" (two-letter country code such as "US") to the ticket, or set DEFAULT_USAGE_LOCATION for the installation, then send the request again (nothing was created).',
      'check_usage_location',
    );
  }
  return { ...base, change: 'assign' };
}

async function resolveManager(graph: GraphClient, email: string | undefined): Promise<ResolvedUser | undefined> {
  if (!email) return undefined;
  try {
    return await resolveUser(graph, email);
  } catch (err) {
    if (err instanceof AppError && (err.code === 'not_found' || err.code === 'ambiguous')) {
      throw new AppError({
        code: err.code,
        message: `Manager: ${err.message}`,
        status: err.status,
        fix: 'Correct "Manager Email" (the manager\'s sign-in name or e-mail address) or leave it empty, then send the request again (nothing was created).',
        step: 'resolve_manager',
        ...(err.details ? { details: err.details } : {}),
      });
    }
    throw err;
  }
}

function createBodyOf(fields: NewUserCreationFields, nickname: string, usageLocation: string | null): CreateUserBody {
  const optional: Array<[keyof CreateUserBody, string | null | undefined]> = [
    ['givenName', fields.firstName],
    ['surname', fields.lastName],
    ['department', fields.department],
    ['jobTitle', fields.jobTitle],
    ['usageLocation', usageLocation],
  ];
  const body: CreateUserBody = { accountEnabled: true, displayName: fields.displayName, userPrincipalName: fields.userPrincipalName, mailNickname: nickname };
  for (const [key, value] of optional) if (value) (body as unknown as Record<string, unknown>)[key] = value;
  return body;
}

export async function planNewUserCreation(graph: GraphClient, input: NewUserPlanInput): Promise<NewUserPlan> {
  const { fields } = input;
  const upn = fields.userPrincipalName.trim();
  const nickname = sanitiseMailNickname(upn);
  checkMailNickname(nickname, upn);

  const [domain, existing, license, groupResolutions, manager] = await Promise.all([
    assertDomainVerified(graph, upn),
    findExistingAccounts(graph, upn, nickname),
    fields.license ? resolveLicense(graph, fields.license) : Promise.resolve(undefined),
    resolveGroups(graph, fields.groupNames),
    resolveManager(graph, fields.managerEmail),
  ]);
  const earlier = judgeExisting(existing.byUpn, existing.clashes, fields, nickname);
  const usage = usageLocationOf(fields, input.defaultUsageLocation);
  const plannedLicense = license ? planLicense(license, earlier, usage.value) : null;
  if (manager && manager.userPrincipalName.toLowerCase() === upn.toLowerCase()) {
    throw refuse('refused', 'The manager named in the ticket is the new user.', 'Put the manager\'s own sign-in name in "Manager Email", or leave it empty.', 'resolve_manager');
  }

  const who = `${fields.displayName} (${upn})`;
  const screened = groupResolutions.map((r) => screenGroup(r, 'add', input.protectedGroups));
  const candidateIds = screened.flatMap((s) => ('candidate' in s ? [s.candidate.id] : []));
  // A brand-new account is in no group; only the account of an earlier run needs checking.
  const membership = earlier && candidateIds.length > 0 ? await checkMemberships(graph, earlier.id, candidateIds) : new Map<string, boolean>();
  const { groups, graphChanges, exchangeChanges } = membershipChanges(screened, 'add', (id) => membership.get(id) === true, { label: who, userPrincipalName: upn });

  const notes: string[] = [];
  if (fields.usageLocation && earlier) notes.push('The account already existed, so the ticket\'s usage location was not applied to it.');
  if (manager && manager.accountEnabled === false) notes.push(`The manager ${label(manager)} has a disabled account.`);
  if (exchangeChanges.length > 0) {
    notes.push('Distribution lists and mail-enabled security groups are changed in Exchange Online, which knows a new account only once its mailbox exists (a few minutes after licensing); a group that fails for that reason can be added later with an "Add User to Group" ticket.');
  }

  const changes: NewUserPlan['changes'] = [];
  if (!earlier) {
    changes.push({
      step: NEW_USER_STEPS.create(upn),
      target: upn,
      description: `Create ${who} with a generated temporary password (delivered by one-time link; must be changed at first sign-in)${usage.value ? `, usage location ${usage.value}` : ''}.`,
    });
  }
  if (manager) changes.push({ step: NEW_USER_STEPS.manager(upn), target: manager.userPrincipalName, description: `Set ${label(manager)} as manager of ${who}.` });
  if (plannedLicense?.change === 'assign') {
    changes.push({
      step: NEW_USER_STEPS.license(plannedLicense.productName),
      target: plannedLicense.skuPartNumber,
      description: `Assign ${plannedLicense.productName} to ${who}; uses one of ${plannedLicense.free} free seats (${plannedLicense.consumed} of ${plannedLicense.total} in use).`,
    });
  }
  for (const g of groups) if (g.decision === 'graph' || g.decision === 'exchange') changes.push({ step: g.step, target: g.group?.displayName ?? g.name, description: g.detail });

  const createStep = NEW_USER_STEPS.create(upn);
  const progressSteps: NewUserPlan['progressSteps'] = [
    earlier
      ? { name: createStep, status: 'already_done', detail: `${who} already exists (created earlier for this ticket).` }
      : { name: createStep, status: 'succeeded', detail: `Created ${who}; the temporary password must be changed at first sign-in.` },
    ...changes.filter((c) => c.step !== createStep).map((c) => ({ name: c.step, status: 'planned' as const, detail: c.description })),
    ...groups.filter((g) => g.decision === 'refused' || g.decision === 'failed').map((g) => ({ name: g.step, status: 'failed' as const, detail: g.detail })),
  ];

  return {
    intent: 'new-user-creation',
    user: { userPrincipalName: upn, displayName: fields.displayName, mailNickname: nickname, usageLocation: usage.value, usageLocationSource: usage.source },
    create: !earlier,
    existingUser: earlier ? { id: earlier.id, userPrincipalName: earlier.userPrincipalName, displayName: earlier.displayName } : null,
    createBody: createBodyOf(fields, nickname, usage.value),
    domain: domain.id,
    license: plannedLicense,
    manager: manager ? { id: manager.id, userPrincipalName: manager.userPrincipalName, displayName: manager.displayName } : null,
    groups,
    graphChanges,
    exchangeChanges,
    longRunning: exchangeChanges.length > 0,
    progressSteps,
    changes,
    notes,
  };
}
