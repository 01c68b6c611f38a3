/**
 * One row of the customers registry of an msp-mode deployment (Azure Table `customers`, infra/README.md
 * "Customers registry"), shared by the onboarding commands (scripts/customers, which write it) and the helpers
 * (lib/msp/customer-registry.ts, which read it on every call). PartitionKey `customer`, RowKey = customer id.
 * No secret is stored: only the webhook key's SHA-256 verifier.
 */
export const CUSTOMERS_TABLE = 'customers';
export const CUSTOMER_PARTITION = 'customer';

export type CustomerStatus = 'active' | 'removed';

export interface CustomerRow {
  id: string;
  displayName: string;
  tenantId: string;
  /** Verified domains of the tenant, as the onboarding verification read them. */
  domains: string[];
  /** The tenant's initial domain (<name>.onmicrosoft.com): the Exchange Online organisation of the runbooks. */
  exchangeOrganization: string;
  webhookKeyId: string;
  /** SHA-256 (hex) of the webhook key; the key itself is never stored. */
  webhookKeyHash: string;
  status: CustomerStatus;
  addedAt: string;
  removedAt?: string;
}

/** A table entity as `az storage entity query` or @azure/data-tables return it (property name → value). */
export type CustomerEntity = Record<string, unknown>;

/**
 * Entity → row. Missing text properties read as ''. Any Status other than `active` reads as `removed`, so a row
 * edited by hand into an unknown state stops the customer instead of serving it (fail closed).
 */
export function toCustomerRow(e: CustomerEntity): CustomerRow {
  const s = (k: string): string => (typeof e[k] === 'string' ? (e[k] as string) : '');
  return {
    // `az storage entity query` answers RowKey; @azure/data-tables answers rowKey.
    id: s('RowKey') || s('rowKey'),
    displayName: s('DisplayName'),
    tenantId: s('TenantId'),
    domains: s('Domains')
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean),
    exchangeOrganization: s('ExchangeOrganization'),
    webhookKeyId: s('WebhookKeyId'),
    webhookKeyHash: s('WebhookKeyHash'),
    status: s('Status') === 'active' ? 'active' : 'removed',
    addedAt: s('AddedAt'),
    ...(s('RemovedAt') ? { removedAt: s('RemovedAt') } : {}),
  };
}

/** Row → entity properties (PartitionKey and RowKey included), as both writers store them. */
export function toCustomerEntity(row: CustomerRow): Record<string, string> {
  return {
    PartitionKey: CUSTOMER_PARTITION,
    RowKey: row.id,
    DisplayName: row.displayName,
    TenantId: row.tenantId,
    Domains: row.domains.join(','),
    ExchangeOrganization: row.exchangeOrganization,
    WebhookKeyId: row.webhookKeyId,
    WebhookKeyHash: row.webhookKeyHash,
    Status: row.status,
    AddedAt: row.addedAt,
    ...(row.removedAt ? { RemovedAt: row.removedAt } : {}),
  };
}
