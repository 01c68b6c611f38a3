import { z } from 'zod';
import { FIELD_COMPARISONS, type FieldComparison } from '../contract/request-key.js';
import type { IntentId } from '../contract/types.js';
import { getGraphClient } from '../graph/default-client.js';
import type { GraphClient } from '../graph/client.js';
import { requireAddressInCustomerDomains } from './customer-domains.js';

/**
 * The customer a request is for, as the router passes it to every child and the children pass it on to the plan
 * and route helpers (`customer` next to `intent`, `ticketId` and `fields`; docs/msp-mode.md). Customer mode: absent
 * or with an empty id. msp mode: the customer the router identified from the webhook URL
 * (POST /api/msp/resolve-customer), so the helpers read that customer's tenant and nothing else.
 */
export const requestCustomerSchema = z
  .object({
    id: z.string().max(64),
    displayName: z.string().max(256).default(''),
    tenantId: z.string().max(64).default(''),
    exchangeOrganization: z.string().max(256).default(''),
    domains: z.array(z.string().max(256)).max(1000).default([]),
  })
  .optional();

export type RequestCustomer = z.output<typeof requestCustomerSchema>;

/** "userEmail" → "User Email": the name Thread's form shows for a field (lib/intents/<intent>/schema.ts). */
function fieldLabel(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

/**
 * Addresses whose domain the plan judges itself, in the customer's tenant, so their answers stay the same in both
 * modes: the new account's sign-in name (new-user-creation's check_domain lists the tenant's verified domains) and
 * an offboarding's forwarding address (which may be external).
 */
const CHECKED_BY_PLAN: ReadonlySet<string> = new Set([
  'new-user-creation.userPrincipalName',
  // Forwarding may go outside the organisation by design; the plan applies ALLOW_EXTERNAL_FORWARDING to it.
  'user-offboarding.forwardTo',
]);

/** The addresses of a request: fields compared as addresses, and group names that are e-mail addresses. */
export function requestAddresses(intent: IntentId, fields: Record<string, unknown>): Array<{ field: string; address: string }> {
  const declared = FIELD_COMPARISONS[intent] as Record<string, FieldComparison | undefined>;
  const out: Array<{ field: string; address: string }> = [];
  for (const [name, value] of Object.entries(fields)) {
    if (CHECKED_BY_PLAN.has(`${intent}.${name}`)) continue;
    const how = declared[name];
    if (how === 'address' && typeof value === 'string' && value.trim() !== '') out.push({ field: fieldLabel(name), address: value.trim() });
    if (how === 'group-names' && Array.isArray(value)) {
      for (const group of value) if (typeof group === 'string' && group.includes('@')) out.push({ field: fieldLabel(name), address: group.trim() });
    }
  }
  return out;
}

/** The telemetry dimension of the request's customer (lib/telemetry/events.ts `customer_id`); none in customer mode. */
export function customerDimension(customer: RequestCustomer): { customer_id?: string } {
  return customer !== undefined && customer.id !== '' ? { customer_id: customer.id } : {};
}

/** Whether the request is for a customer of an msp deployment (customer mode passes none, or an empty id). */
export function servesCustomer(customer: RequestCustomer): customer is NonNullable<RequestCustomer> {
  return customer !== undefined && customer.id !== '';
}

/**
 * msp mode: refuses (400 address_outside_tenant, nothing looked up or changed) a request naming a user, mailbox or
 * group address outside the customer's verified domains. Customer mode: nothing to check, the deployment's identity
 * reaches only its own tenant.
 */
export function requireRequestInCustomerTenant(request: { intent: IntentId; fields: Record<string, unknown>; customer?: RequestCustomer }): void {
  const customer = request.customer;
  if (!servesCustomer(customer)) return;
  for (const { field, address } of requestAddresses(request.intent, request.fields)) requireAddressInCustomerDomains(address, customer, field);
}

/**
 * The Graph client of a plan or route helper: checks the request's addresses first (above), then reads the
 * customer's tenant in msp mode. Without a customer, msp mode refuses (lib/graph/default-client.ts) rather than
 * read the MSP's own directory; customer mode uses the deployment's managed identity as before.
 */
export async function graphForRequest(request: { intent: IntentId; fields: Record<string, unknown>; customer?: RequestCustomer }): Promise<GraphClient> {
  requireRequestInCustomerTenant(request);
  const customer = request.customer;
  return getGraphClient(servesCustomer(customer) && customer.tenantId ? { tenantId: customer.tenantId } : {});
}
