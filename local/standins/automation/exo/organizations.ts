import { ExchangeModel } from '../exchange-model.js';
import type { TenantSource } from '../tenant-link.js';

/**
 * msp mode: the Exchange Online organizations of the customer tenants one Automation account serves, one
 * ExchangeModel per tenant. A session is bound to the organization of its token's tenant (`tid`), as Exchange
 * Online serves an app-only token only in the tenant that issued it; customer mode does not use this.
 */

export interface HostedOrganizationOptions {
  /** The customer tenant's id: tokens with this `tid` reach this organization. */
  tenantId: string;
  /** Exchange fixture of that tenant (docs/exchange-stand-in.md, "Fixture format"). */
  exchange: unknown;
  /** That tenant's live Graph state, when the Graph stand-in hosts it too (tenant-link.ts). */
  tenant?: TenantSource;
}

export interface HostedOrganization {
  tenantId: string;
  /** The initial domain (Connect-ExchangeOnline -Organization). */
  organization: string;
  exchange: ExchangeModel;
  /** The fixture it started from (reset reloads it). */
  fixture: unknown;
}

export class HostedOrganizations {
  private readonly byTenantId = new Map<string, HostedOrganization>();

  constructor(options: readonly HostedOrganizationOptions[]) {
    for (const o of options) {
      const key = o.tenantId.toLowerCase();
      if (this.byTenantId.has(key)) throw new Error(`Tenant ${o.tenantId} is hosted twice.`);
      const exchange = new ExchangeModel(o.exchange, { tenant: o.tenant });
      this.byTenantId.set(key, { tenantId: o.tenantId, organization: exchange.organization, exchange, fixture: o.exchange });
    }
    const names = this.list().map((o) => o.organization.toLowerCase());
    if (new Set(names).size !== names.length) throw new Error('Two hosted tenants have the same Exchange organization.');
  }

  list(): HostedOrganization[] {
    return [...this.byTenantId.values()];
  }

  byTenant(tenantId: string): HostedOrganization | undefined {
    return this.byTenantId.get(tenantId.toLowerCase());
  }

  byName(organization: string): HostedOrganization | undefined {
    return this.list().find((o) => o.organization.toLowerCase() === organization.trim().toLowerCase());
  }

  /** Reloads every organization's starting fixture (POST /_admin/reset). */
  reset(): void {
    for (const o of this.list()) o.exchange.load(o.fixture);
  }
}
