import type { Runner } from '../deploy/runner.js';

/**
 * The customers registry of an msp-mode deployment: Azure Table `customers` in the deployment's storage account
 * (infra/modules/storage.bicep), reached with `az storage entity … --auth-mode login` (the technician's Entra
 * sign-in, never the account key; needs Storage Table Data Contributor on the account). One row per customer:
 * PartitionKey `customer`, RowKey = customer id. No secret is stored: only the webhook key's SHA-256 verifier.
 */
export const CUSTOMERS_TABLE = 'customers';
export const PARTITION = 'customer';

export type CustomerStatus = 'active' | 'removed';

export interface CustomerRow {
  id: string;
  displayName: string;
  tenantId: string;
  /** Verified domains of the tenant, as the verification read them. */
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

type Entity = Record<string, unknown>;

function toRow(e: Entity): CustomerRow {
  const s = (k: string): string => (typeof e[k] === 'string' ? (e[k] as string) : '');
  return {
    id: s('RowKey'),
    displayName: s('DisplayName'),
    tenantId: s('TenantId'),
    domains: s('Domains').split(',').filter(Boolean),
    exchangeOrganization: s('ExchangeOrganization'),
    webhookKeyId: s('WebhookKeyId'),
    webhookKeyHash: s('WebhookKeyHash'),
    status: s('Status') === 'removed' ? 'removed' : 'active',
    addedAt: s('AddedAt'),
    ...(s('RemovedAt') ? { removedAt: s('RemovedAt') } : {}),
  };
}

export class CustomerRegistry {
  constructor(
    private readonly run: Runner,
    private readonly accountName: string,
  ) {}

  private args(verb: string): string[] {
    return ['storage', 'entity', verb, '--account-name', this.accountName, '--table-name', CUSTOMERS_TABLE, '--auth-mode', 'login'];
  }

  async list(): Promise<CustomerRow[]> {
    const rows: CustomerRow[] = [];
    // Filter on the partition; the table holds only customers, so one query reads them all (a few hundred rows at most).
    const answer = (await this.run.check([...this.args('query'), '--filter', `PartitionKey eq '${PARTITION}'`], { plan: { items: [] } })) as { items?: Entity[] };
    for (const e of answer.items ?? []) rows.push(toRow(e));
    return rows.sort((a, b) => a.id.localeCompare(b.id));
  }

  async insert(row: CustomerRow): Promise<void> {
    await this.run.apply([
      ...this.args('insert'),
      '--entity',
      `PartitionKey=${PARTITION}`,
      `RowKey=${row.id}`,
      `DisplayName=${row.displayName}`,
      `TenantId=${row.tenantId}`,
      `Domains=${row.domains.join(',')}`,
      `ExchangeOrganization=${row.exchangeOrganization}`,
      `WebhookKeyId=${row.webhookKeyId}`,
      `WebhookKeyHash=${row.webhookKeyHash}`,
      `Status=${row.status}`,
      `AddedAt=${row.addedAt}`,
    ]);
  }

  async markRemoved(id: string, at: string): Promise<void> {
    await this.run.apply([...this.args('merge'), '--entity', `PartitionKey=${PARTITION}`, `RowKey=${id}`, 'Status=removed', `RemovedAt=${at}`]);
  }
}
