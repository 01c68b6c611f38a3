import { AppError } from '../../errors/app-error.js';
import { runBatch, type BatchItemResult, type BatchRequest } from '../../graph/batch.js';
import type { GraphClient } from '../../graph/client.js';
import { matchLicense, type ResolvedLicense, type SubscribedSku } from '../../lookups/license.js';
import { memberOfRequest } from '../../lookups/privileged.js';
import { pickUser, USER_SELECT, type ResolvedUser } from '../../lookups/user.js';
import { withSuggestions } from '../../lookups/explain-miss.js';
import { groupRequest, subscribedSkusRequest, userRequest, usersByMailRequest } from '../../lookups/requests.js';
import type { LicenseAssignmentPlan, LicenseGroupSource } from './plan-types.js';

export type { LicenseAssignmentPlan } from './plan-types.js';

/**
 * Plans a licence assignment or removal with read-only look-ups. The user (by UPN and, as a
 * fallback, by mail), the tenant's subscriptions and the user's groups are read in ONE $batch rather
 * than up to three sequential reads (user, SKUs, SKUs again) before writing.
 * Everything Graph would refuse is refused here with a plain reason (no seats, no usage location,
 * a group-inherited licence), and a request that is already satisfied plans no write at all.
 */
export interface LicenseAssignmentPlanInput {
  userEmail: string;
  license: string;
  action: 'Assign' | 'Remove';
  /** "Usage Location" from the ticket (ISO country code), used only when the user has none. */
  usageLocation?: string | undefined;
  /** The installation's default (parameters('defaultUsageLocation')), used when the ticket has none. */
  defaultUsageLocation?: string | undefined;
}

/** Per-licence assignment records: direct (assignedByGroup null) or inherited from a group. */
const USER_FIELDS = [...USER_SELECT, 'licenseAssignmentStates'];
const SKU_SELECT = ['skuId', 'skuPartNumber', 'capabilityStatus', 'consumedUnits', 'prepaidUnits'];

interface AssignmentState {
  skuId?: string;
  assignedByGroup?: string | null;
  state?: string;
  error?: string;
}

type RawUser = Record<string, unknown>;

function refuse(message: string, fix: string, step: string, details?: Record<string, unknown>): AppError {
  return new AppError({ code: 'refused', message, status: 422, fix, step, retryable: false, ...(details ? { details } : {}) });
}

function label(user: ResolvedUser): string {
  return user.displayName ? `${user.displayName} (${user.userPrincipalName})` : user.userPrincipalName;
}

function licenseLabel(license: ResolvedLicense): string {
  return license.productName === license.skuPartNumber ? license.skuPartNumber : `${license.productName} (${license.skuPartNumber})`;
}

/** The batch: user by UPN/id, by mail when the input is an address, the SKUs, and the user's groups. */
export function planRequests(input: string): BatchRequest[] {
  const requests: BatchRequest[] = [
    userRequest('byUpn', input, USER_FIELDS),
    subscribedSkusRequest('skus', SKU_SELECT),
    memberOfRequest(input),
  ];
  if (input.includes('@')) {
    requests.push(usersByMailRequest('byMail', input, USER_FIELDS));
  }
  return requests;
}

function rawUserFrom(user: ResolvedUser, byUpn: BatchItemResult | undefined, byMail: BatchItemResult | undefined): RawUser {
  if (byUpn && byUpn.status < 300) return byUpn.body as RawUser;
  const matches = ((byMail?.body as { value?: RawUser[] } | undefined)?.value ?? []) as RawUser[];
  return matches.find((m) => String(m.id) === user.id) ?? {};
}

/** Where the user holds `skuId`: directly, and through which groups (ids). */
export function licenseHolding(raw: RawUser, skuId: string): { direct: boolean; groupIds: string[]; errors: string[] } {
  const wanted = skuId.toLowerCase();
  const states = Array.isArray(raw.licenseAssignmentStates) ? (raw.licenseAssignmentStates as AssignmentState[]) : undefined;
  if (!states) {
    // Without assignment states only assignedLicenses is known, which cannot tell groups apart.
    const assigned = Array.isArray(raw.assignedLicenses) ? (raw.assignedLicenses as Array<{ skuId?: string }>) : [];
    return { direct: assigned.some((a) => String(a.skuId ?? '').toLowerCase() === wanted), groupIds: [], errors: [] };
  }
  const forSku = states.filter((s) => String(s.skuId ?? '').toLowerCase() === wanted);
  // A group assignment in state Error (e.g. CountViolation: the group ran out of seats) gives the
  // user nothing, so it neither satisfies an Assign nor blocks a Remove; it is reported as a note.
  const effectiveGroups = forSku.filter((s) => s.assignedByGroup && s.state !== 'Error');
  return {
    direct: forSku.some((s) => !s.assignedByGroup),
    groupIds: [...new Set(effectiveGroups.map((s) => String(s.assignedByGroup)))],
    errors: forSku.filter((s) => s.error && s.error !== 'None').map((s) => String(s.error)),
  };
}

/** Names the licence-bearing groups from memberOf; any group it does not list is read by id (rare). */
async function nameGroups(graph: GraphClient, groupIds: string[], memberOf: BatchItemResult | undefined): Promise<LicenseGroupSource[]> {
  const known = new Map<string, string>();
  for (const item of ((memberOf?.status ?? 500) < 300 ? ((memberOf?.body as { value?: Array<{ id?: string; displayName?: string }> })?.value ?? []) : [])) {
    if (item.id && item.displayName) known.set(item.id.toLowerCase(), item.displayName);
  }
  const missing = groupIds.filter((id) => !known.has(id.toLowerCase()));
  if (missing.length > 0) {
    const answers = await runBatch(
      graph,
      missing.map((id, i) => groupRequest(`g${i}`, id, ['id', 'displayName'])),
      { step: 'check_license_source' },
    );
    missing.forEach((id, i) => {
      const body = answers.get(`g${i}`)?.body as { displayName?: string } | undefined;
      if (body?.displayName) known.set(id.toLowerCase(), body.displayName);
    });
  }
  return groupIds.map((id) => ({ id, displayName: known.get(id.toLowerCase()) ?? id }));
}

function quoted(groups: LicenseGroupSource[]): string {
  return groups.map((g) => `"${g.displayName}"`).join(', ');
}

export async function planLicenseAssignment(graph: GraphClient, input: LicenseAssignmentPlanInput): Promise<LicenseAssignmentPlan> {
  const upn = input.userEmail.trim();
  const answers = await runBatch(graph, planRequests(upn), { step: 'resolve_user' });
  const byUpn = answers.get('byupn');
  const byMail = answers.get('bymail');
  const user = await withSuggestions(graph, () => pickUser(upn, byUpn, byMail));
  const skus = answers.get('skus');
  if (!skus || skus.error) throw skus?.error ?? new Error('No $batch answer for subscribedSkus.');
  const license = matchLicense(input.license, ((skus.body as { value?: SubscribedSku[] }).value ?? []) as SubscribedSku[]);
  const raw = rawUserFrom(user, byUpn, byMail);
  const holding = licenseHolding(raw, license.skuId);
  // memberOf was addressed by the UPN, so it only helps when the user was found by UPN.
  const groups = holding.groupIds.length > 0 ? await nameGroups(graph, holding.groupIds, byUpn && byUpn.status < 300 ? answers.get('memberof') : undefined) : [];

  const who = label(user);
  const what = licenseLabel(license);
  const notes: string[] = [];
  if (holding.errors.length > 0) notes.push(`Microsoft reports a problem with this licence on the user: ${holding.errors.join(', ')}.`);
  const base = {
    intent: 'license-assignment' as const,
    action: input.action,
    user: { id: user.id, userPrincipalName: user.userPrincipalName, displayName: user.displayName, usageLocation: user.usageLocation },
    license: { skuId: license.skuId, skuPartNumber: license.skuPartNumber, productName: license.productName, total: license.total, consumed: license.consumed, free: license.free },
    holding: { direct: holding.direct, groups },
    notes,
  };

  if (input.action === 'Remove') return planRemoval(base, who, what);
  return planAssignment(base, input, user, license, who, what);
}

type PlanBase = Omit<LicenseAssignmentPlan, 'change' | 'setUsageLocation' | 'changes' | 'alreadyDone'>;

function planRemoval(base: PlanBase, who: string, what: string): LicenseAssignmentPlan {
  const { direct, groups } = base.holding;
  if (!direct && groups.length > 0) {
    throw refuse(
      `${who} gets ${what} from the group ${quoted(groups)} (group-based licensing), so it cannot be removed from the user directly.`,
      `Remove the user from ${quoted(groups)} (for example with a "Remove User from Group" ticket), or change that group's licences in the Microsoft 365 admin center.`,
      'check_license_source',
      { userId: base.user.id, skuId: base.license.skuId, groups },
    );
  }
  if (!direct) {
    return { ...base, change: 'none', setUsageLocation: null, changes: [], alreadyDone: `${who} does not have ${what}; nothing to remove.` };
  }
  if (groups.length > 0) base.notes.push(`${who} keeps ${what} through the group ${quoted(groups)}; only the direct assignment is removed.`);
  return {
    ...base,
    change: 'remove',
    setUsageLocation: null,
    changes: [{ step: 'remove_license', target: base.license.skuPartNumber, description: `Remove ${what} from ${who}; frees one seat (${base.license.consumed} of ${base.license.total} in use).` }],
  };
}

function planAssignment(base: PlanBase, input: LicenseAssignmentPlanInput, user: ResolvedUser, license: ResolvedLicense, who: string, what: string): LicenseAssignmentPlan {
  const { direct, groups } = base.holding;
  if (direct || groups.length > 0) {
    const how = direct ? 'directly' : `through the group ${quoted(groups)}`;
    return { ...base, change: 'none', setUsageLocation: null, changes: [], alreadyDone: `${who} already has ${what} (assigned ${how}); nothing to assign.` };
  }
  if (license.free <= 0) {
    throw new AppError({
      code: 'quota_exceeded',
      message: `No free ${what} licences: ${license.consumed} of ${license.total} are in use.`,
      status: 409,
      fix: `Buy more ${what} seats or remove the licence from someone who no longer needs it, then send the request again.`,
      step: 'check_seats',
      retryable: false,
      details: { skuId: license.skuId, consumed: license.consumed, total: license.total },
    });
  }
  const changes: LicenseAssignmentPlan['changes'] = [];
  let setUsageLocation: LicenseAssignmentPlan['setUsageLocation'] = null;
  if (!user.usageLocation) {
    const fromField = input.usageLocation?.trim().toUpperCase();
    const fromDefault = input.defaultUsageLocation?.trim().toUpperCase();
    const value = fromField || fromDefault;
    if (!value || !/^[A-Z]{2}$/.test(value)) {
      throw refuse(
        `${who} has no usage location, which Microsoft requires before a licence can be assigned, and neither the ticket nor the installation names one.`,
        'Add a "Usage Location" (two-letter country code such as "US") to the ticket, or set DEFAULT_USAGE_LOCATION for the installation, then send the request again.',
        'check_usage_location',
        { userId: user.id },
      );
    }
    setUsageLocation = { value, source: fromField ? 'field' : 'default' };
    changes.push({ step: 'set_usage_location', target: user.userPrincipalName, description: `Set the usage location of ${who} to ${value} (${fromField ? 'from the ticket' : 'installation default'}); licences need one.` });
  } else if (input.usageLocation && input.usageLocation.toUpperCase() !== user.usageLocation.toUpperCase()) {
    base.notes.push(`${who} already has the usage location ${user.usageLocation}; the ticket's ${input.usageLocation.toUpperCase()} was not applied.`);
  }
  changes.push({
    step: 'assign_license',
    target: license.skuPartNumber,
    description: `Assign ${what} to ${who}; uses one of ${license.free} free seats (${license.consumed} of ${license.total} in use).`,
  });
  return { ...base, change: 'assign', setUsageLocation, changes };
}
