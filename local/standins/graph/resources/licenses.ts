import { errors } from '../errors.js';
import { contextUrl, ok, type GraphCall, type GraphResult } from '../http-types.js';
import { parseSelect, project } from '../odata/select.js';
import type { Route } from '../router.js';
import type { SkuFixture } from '../tenant/fixture-schema.js';
import type { TenantState, UserRecord } from '../tenant/state.js';
import { groupById, userByKey } from './resolve.js';
import { invalidProperty, requireObjectBody } from './validation.js';
import { groupView, userView } from './views.js';

/**
 * subscribedSkus and assignLicense (https://learn.microsoft.com/graph/api/user-assignlicense). Seat use (consumedUnits) is computed
 * from users' direct and group-inherited licences, so every assignment keeps it in sync.
 */

const SKU_FIELDS = ['accountName', 'accountId', 'appliesTo', 'capabilityStatus', 'consumedUnits', 'id', 'prepaidUnits', 'servicePlans', 'skuId', 'skuPartNumber', 'subscriptionIds'];

function skuView(state: TenantState, sku: SkuFixture): Record<string, unknown> {
  return {
    accountName: state.displayName.replace(/\s+/g, ''),
    accountId: state.tenantId,
    appliesTo: sku.appliesTo,
    capabilityStatus: sku.capabilityStatus,
    consumedUnits: state.consumedUnits(sku.skuId),
    id: `${state.tenantId}_${sku.skuId}`,
    prepaidUnits: { enabled: sku.prepaidUnits.enabled, lockedOut: sku.prepaidUnits.lockedOut, suspended: sku.prepaidUnits.suspended, warning: sku.prepaidUnits.warning },
    servicePlans: sku.servicePlans.map((p) => ({ servicePlanId: p.servicePlanId, servicePlanName: p.servicePlanName, provisioningStatus: 'Success', appliesTo: p.appliesTo })),
    skuId: sku.skuId,
    skuPartNumber: sku.skuPartNumber,
    subscriptionIds: sku.subscriptionIds,
  };
}

function listSkus(call: GraphCall): GraphResult {
  for (const option of ['$filter', '$top', '$orderby', '$search', '$expand', '$count']) {
    if (call.query.has(option)) throw errors.unsupportedQuery(); // subscribedSkus supports only $select
  }
  const select = parseSelect(call.query.get('$select'), 'microsoft.graph.subscribedSku', SKU_FIELDS);
  const fragment = select ? `subscribedSkus(${select.join(',')})` : 'subscribedSkus';
  return ok({
    '@odata.context': contextUrl(call.version, fragment),
    value: call.state.skus.map((s) => project(skuView(call.state, s), select, SKU_FIELDS)),
  });
}

function getSku(call: GraphCall, id: string): GraphResult {
  const sku = call.state.skus.find((s) => `${call.state.tenantId}_${s.skuId}`.toLowerCase() === id.toLowerCase());
  if (!sku) throw errors.notFound(id);
  return ok({ '@odata.context': contextUrl(call.version, 'subscribedSkus/$entity'), ...skuView(call.state, sku) });
}

interface LicenseChange {
  add: Array<{ skuId: string; disabledPlans: string[] }>;
  remove: string[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function readLicenseChange(call: GraphCall): LicenseChange {
  const body = requireObjectBody(call.body);
  const missing = ['addLicenses', 'removeLicenses'].filter((k) => body[k] === undefined);
  if (missing.length > 0) {
    throw errors.badRequest(`One or more parameters of the operation 'assignLicense' are missing from the request payload. The missing parameters are: ${missing.join(', ')}.`);
  }
  if (!Array.isArray(body.addLicenses)) throw invalidProperty('addLicenses', 'AssignedLicense');
  if (!Array.isArray(body.removeLicenses)) throw invalidProperty('removeLicenses', 'AssignedLicense');
  const add = body.addLicenses.map((entry: unknown) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    if (typeof e.skuId !== 'string' || !GUID.test(e.skuId)) throw invalidProperty('skuId', 'AssignedLicense');
    const disabled = e.disabledPlans ?? [];
    if (!Array.isArray(disabled) || disabled.some((d) => typeof d !== 'string' || !GUID.test(d))) throw invalidProperty('disabledPlans', 'AssignedLicense');
    return { skuId: e.skuId.toLowerCase(), disabledPlans: (disabled as string[]).map((d) => d.toLowerCase()) };
  });
  const remove = body.removeLicenses.map((id: unknown) => {
    if (typeof id !== 'string' || !GUID.test(id)) throw invalidProperty('removeLicenses', 'AssignedLicense');
    return id.toLowerCase();
  });
  return { add, remove };
}

function checkSkusAndPlans(state: TenantState, change: LicenseChange): void {
  for (const a of [...change.add.map((x) => x.skuId), ...change.remove]) {
    if (!state.findSku(a)) throw errors.badRequest(`License ${a} does not correspond to a valid company License.`);
  }
  for (const a of change.add) {
    const plans = (state.findSku(a.skuId)?.servicePlans ?? []).map((p) => p.servicePlanId.toLowerCase());
    if (a.disabledPlans.some((p) => !plans.includes(p))) throw invalidProperty('disabledPlans', 'AssignedLicense');
  }
}

/** A licence carrying Exchange Online provisions a user mailbox, as Exchange does after assignment. */
function provisionMailbox(state: TenantState, user: UserRecord): void {
  if (user.mailbox || user.userType === 'Guest') return;
  const hasExchange = state
    .effectiveLicenses(user)
    .filter((l) => l.state === 'Active')
    .some((l) => (state.findSku(l.skuId)?.servicePlans ?? []).some((p) => /^EXCHANGE_S_/i.test(p.servicePlanName) && !l.disabledPlans.includes(p.servicePlanId)));
  if (!hasExchange) return;
  user.mailbox = { type: 'user', hiddenFromAddressLists: false, timeZone: 'UTC' };
  user.mail ??= user.userPrincipalName;
}

function assignUserLicense(call: GraphCall, key: string): GraphResult {
  const user = userByKey(call, key);
  const change = readLicenseChange(call);
  const state = call.state;
  checkSkusAndPlans(state, change);
  if (change.add.length > 0 && (!user.usageLocation || state.usageLocationPending(user.id))) {
    throw errors.badRequest('License assignment cannot be done for user with invalid usage location.');
  }
  const effective = state.effectiveLicenses(user);
  for (const skuId of change.remove) {
    const direct = user.licenses.some((l) => l.skuId.toLowerCase() === skuId);
    if (direct) continue;
    if (effective.some((l) => l.skuId.toLowerCase() === skuId)) {
      throw errors.badRequest('User license is inherited from a group membership and it cannot be removed directly from the user.');
    }
    throw errors.badRequest('User does not have a corresponding license.');
  }
  for (const a of change.add) {
    // A user already holding the SKU (directly or via a group, with a seat) uses no extra seat.
    if (effective.some((l) => l.skuId.toLowerCase() === a.skuId && l.state === 'Active')) continue;
    const sku = state.findSku(a.skuId) as SkuFixture;
    if (state.consumedUnits(a.skuId) >= sku.prepaidUnits.enabled) {
      throw errors.badRequest(`Subscription with SKU ${sku.skuId} does not have any available licenses.`);
    }
  }
  user.licenses = user.licenses.filter((l) => !change.remove.includes(l.skuId.toLowerCase()));
  for (const a of change.add) {
    // Re-adding an assigned SKU replaces its disabledPlans (undocumented: inferred, a reassignment is an update).
    user.licenses = user.licenses.filter((l) => l.skuId.toLowerCase() !== a.skuId);
    const sku = state.findSku(a.skuId) as SkuFixture;
    user.licenses.push({ skuId: sku.skuId, disabledPlans: a.disabledPlans });
  }
  provisionMailbox(state, user);
  return ok({ '@odata.context': contextUrl(call.version, 'users/$entity'), ...userView(state, user) });
}

function assignGroupLicense(call: GraphCall, id: string): GraphResult {
  const group = groupById(call, id);
  const change = readLicenseChange(call);
  checkSkusAndPlans(call.state, change);
  for (const skuId of change.remove) {
    if (!group.licenses.some((l) => l.skuId.toLowerCase() === skuId)) throw errors.badRequest('User does not have a corresponding license.');
  }
  group.licenses = group.licenses.filter((l) => !change.remove.includes(l.skuId.toLowerCase()));
  for (const a of change.add) {
    group.licenses = group.licenses.filter((l) => l.skuId.toLowerCase() !== a.skuId);
    group.licenses.push({ skuId: (call.state.findSku(a.skuId) as SkuFixture).skuId, disabledPlans: a.disabledPlans });
  }
  return ok({ '@odata.context': contextUrl(call.version, 'groups/$entity'), ...groupView(group) }, 202);
}

export const licenseRoutes: Route[] = [
  { method: 'GET', pattern: 'subscribedSkus', handler: (c) => listSkus(c) },
  { method: 'GET', pattern: 'subscribedSkus/{id}', handler: (c, p) => getSku(c, p.id as string) },
  { method: 'POST', pattern: 'users/{user}/assignLicense', handler: (c, p) => assignUserLicense(c, p.user as string) },
  { method: 'POST', pattern: 'groups/{group}/assignLicense', handler: (c, p) => assignGroupLicense(c, p.group as string) },
];
