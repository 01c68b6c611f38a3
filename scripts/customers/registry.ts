import type { Runner } from '../deploy/runner.js';
import { CUSTOMER_PARTITION, CUSTOMERS_TABLE, toCustomerEntity, toCustomerRow, type CustomerEntity, type CustomerRow } from '../../lib/msp/customer-row.js';

/**
 * The customers registry of an msp-mode deployment: Azure Table `customers` in the deployment's storage account
 * (infra/modules/storage.bicep), reached with `az storage entity … --auth-mode login` (the technician's Entra
 * sign-in, never the account key; needs Storage Table Data Contributor on the account). One row per customer:
 * PartitionKey `customer`, RowKey = customer id. No secret is stored: only the webhook key's SHA-256 verifier.
 * The row mapping is shared with the helpers, which read the same rows (lib/msp/customer-row.ts).
 */
export { CUSTOMERS_TABLE, type CustomerRow, type CustomerStatus } from '../../lib/msp/customer-row.js';

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
    const answer = (await this.run.check([...this.args('query'), '--filter', `PartitionKey eq '${CUSTOMER_PARTITION}'`], { plan: { items: [] } })) as { items?: CustomerEntity[] };
    for (const e of answer.items ?? []) rows.push(toCustomerRow(e));
    return rows.sort((a, b) => a.id.localeCompare(b.id));
  }

  async insert(row: CustomerRow): Promise<void> {
    const entity = toCustomerEntity(row);
    await this.run.apply([...this.args('insert'), '--entity', ...Object.entries(entity).map(([k, v]) => `${k}=${v}`)]);
  }

  async markRemoved(id: string, at: string): Promise<void> {
    await this.run.apply([...this.args('merge'), '--entity', `PartitionKey=${CUSTOMER_PARTITION}`, `RowKey=${id}`, 'Status=removed', `RemovedAt=${at}`]);
  }
}
