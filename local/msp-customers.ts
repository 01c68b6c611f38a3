import { TableClient } from '@azure/data-tables';
import type { GraphTenantAdmin } from './standins/graph/index.js';
import { CUSTOMER_PARTITION, CUSTOMERS_TABLE, toCustomerEntity, type CustomerRow, type CustomerStatus } from '../lib/msp/customer-row.js';
import { customerWebhookUrl, newWebhookKey } from '../scripts/customers/webhook-key.js';

/**
 * The customers of the local msp-mode system (issue 13): Contoso (the Graph stand-in's default tenant, so every
 * existing test's `sys.graph.admin` acts on it) and Fabrikam (the second fixture, whose names collide with
 * Contoso's so that isolation shows). Their registry rows are what `npm run customer:add` writes in Azure
 * (lib/msp/customer-row.ts, infra/README.md "Customers registry"), each with a fresh webhook key per start.
 */

export type LocalCustomerId = 'contoso' | 'fabrikam';

export interface LocalMspCustomer {
  id: LocalCustomerId;
  displayName: string;
  tenantId: string;
  /** Verified domains (what customer:add reads from the tenant). */
  domains: string[];
  /** The initial domain: the runbooks' Exchange Online organization. */
  exchangeOrganization: string;
  /** The URL Thread calls for this customer: router callback URL + `customer` + `customerKey`. */
  webhook: string;
}

/** The tenant facts the registry row needs, read from the hosted Graph tenant. */
export interface CustomerTenantFacts {
  displayName: string;
  tenantId: string;
  domains: Array<{ id: string; isVerified: boolean; isInitial: boolean }>;
}

/** Writes the two customers' rows with fresh keys and returns each customer with its webhook URL. */
export async function registerLocalCustomers(
  connectionString: string,
  routerCallbackUrl: string,
  tenants: Record<LocalCustomerId, CustomerTenantFacts>,
  now: () => Date = () => new Date(),
): Promise<Record<LocalCustomerId, LocalMspCustomer>> {
  const table = customersTable(connectionString);
  await table.createTable();
  const out = {} as Record<LocalCustomerId, LocalMspCustomer>;
  for (const id of Object.keys(tenants) as LocalCustomerId[]) {
    const t = tenants[id];
    const verified = t.domains.filter((d) => d.isVerified);
    const initial = verified.find((d) => d.isInitial)?.id;
    if (!initial) throw new Error(`The local tenant ${t.tenantId} (${t.displayName}) has no verified initial domain; its fixture needs one.`);
    const key = newWebhookKey();
    const row: CustomerRow = {
      id,
      displayName: t.displayName,
      tenantId: t.tenantId,
      domains: verified.map((d) => d.id),
      exchangeOrganization: initial,
      webhookKeyId: key.keyId,
      webhookKeyHash: key.verifier,
      status: 'active',
      addedAt: now().toISOString(),
    };
    // Replace: a restart with the same data folder draws new keys, so yesterday's URLs stop working.
    const { PartitionKey, RowKey, ...properties } = toCustomerEntity(row);
    await table.upsertEntity({ partitionKey: PartitionKey ?? CUSTOMER_PARTITION, rowKey: RowKey ?? id, ...properties }, 'Replace');
    out[id] = { id, displayName: row.displayName, tenantId: row.tenantId, domains: row.domains, exchangeOrganization: initial, webhook: customerWebhookUrl(routerCallbackUrl, id, key.key) };
  }
  return out;
}

/** Sets a customer's Status as `npm run customer:remove` does (Status=removed, RemovedAt), or back to active. */
export async function setLocalCustomerStatus(connectionString: string, id: string, status: CustomerStatus, now: () => Date = () => new Date()): Promise<void> {
  const entity = { partitionKey: CUSTOMER_PARTITION, rowKey: id, Status: status, ...(status === 'removed' ? { RemovedAt: now().toISOString() } : {}) };
  await customersTable(connectionString).updateEntity(entity, 'Merge');
}

function customersTable(connectionString: string): TableClient {
  return TableClient.fromConnectionString(connectionString, CUSTOMERS_TABLE, { allowInsecureConnection: true });
}

/**
 * An Exchange organization's starting state (docs/exchange-stand-in.md, "Fixture format") built from a hosted Graph
 * tenant's mail recipients, for a tenant that has no Exchange fixture of its own (Fabrikam). Microsoft 365 groups
 * and equipment mailboxes are left out: the runbooks do not manage them and the fixture format has no type for them.
 */
export function exchangeFixtureFromGraph(tenant: GraphTenantAdmin, domains: string[], organization: string): unknown {
  const mailboxType = { user: 'UserMailbox', shared: 'SharedMailbox', room: 'RoomMailbox' } as const;
  const groupType = { distribution: 'MailUniversalDistributionGroup', mailEnabledSecurity: 'MailUniversalSecurityGroup' } as const;
  const alias = (address: string) => address.split('@')[0] ?? address;
  const smtpProxies = (proxies: string[]) => proxies.filter((p) => /^smtp:/i.test(p));
  const Mailboxes: unknown[] = [];
  const DistributionGroups: unknown[] = [];
  for (const r of tenant.recipients()) {
    if (r.kind === 'mailbox') {
      const type = mailboxType[r.recipientType as keyof typeof mailboxType];
      if (!type) continue;
      Mailboxes.push({
        UserPrincipalName: r.userPrincipalName ?? r.primarySmtpAddress,
        PrimarySmtpAddress: r.primarySmtpAddress,
        DisplayName: r.displayName,
        Alias: alias(r.primarySmtpAddress),
        RecipientTypeDetails: type,
        EmailAddresses: smtpProxies(r.proxyAddresses),
        HiddenFromAddressListsEnabled: r.hiddenFromAddressLists ?? false,
      });
    } else {
      const type = groupType[r.recipientType as keyof typeof groupType];
      if (!type) continue;
      DistributionGroups.push({ PrimarySmtpAddress: r.primarySmtpAddress, DisplayName: r.displayName, Alias: alias(r.primarySmtpAddress), RecipientTypeDetails: type, Members: r.members ?? [] });
    }
  }
  return { Organization: organization, AcceptedDomains: domains, Mailboxes, DistributionGroups };
}
