import type { EntraDirectory } from '../../identity/signin/directory.js';
import type { GraphAuthorization } from '../authorization.js';
import type { TenantFixture } from './fixture-schema.js';
import { TenantState } from './state.js';

/**
 * The tenants one Graph stand-in hosts. Customer mode: one tenant, which every token reaches whatever its `tid`
 * (every local managed-identity token belongs to it). msp mode: several tenants, each with its own state, and a
 * token reaches only the tenant its `tid` names, as Graph scopes an app token to the tenant it was issued for.
 */

/** One hosted tenant: its live state and the fixture `reset` returns to. */
export interface AdminTarget {
  state: TenantState;
  fixture: TenantFixture;
  /** Survives loads and resets: it describes the directory, not the tenant's content. */
  replicationLagMs: number;
  /** Permission enforcement (infra/permissions.json), shared by every tenant; survives loads and resets. */
  authorization?: GraphAuthorization;
}

export class TenantHost {
  private readonly slots = new Map<string, AdminTarget>();
  private defaultKey: string;

  constructor(
    fixtures: readonly TenantFixture[],
    readonly multiTenant: boolean,
    readonly authorization: GraphAuthorization | undefined,
    /** msp mode: the Entra directory the sign-in stand-in serves (service principals, tenants' domains). */
    readonly directory: EntraDirectory | undefined,
  ) {
    const first = fixtures[0];
    if (!first) throw new Error('the Graph stand-in needs at least one tenant');
    this.defaultKey = first.tenantId.toLowerCase();
    for (const f of fixtures) this.add(f);
  }

  /** The tenant a token's tid reaches (see the class comment). */
  stateFor(tid: string): TenantState | undefined {
    if (!this.multiTenant) return this.defaultTarget().state;
    return this.slots.get(tid.toLowerCase())?.state;
  }

  defaultTarget(): AdminTarget {
    return this.slots.get(this.defaultKey) as AdminTarget;
  }

  target(tenantId: string): AdminTarget {
    const t = this.multiTenant ? this.slots.get(tenantId.toLowerCase()) : this.slots.get(this.defaultKey);
    if (!t || (!this.multiTenant && t.state.tenantId.toLowerCase() !== tenantId.toLowerCase())) throw new Error(`This Graph stand-in hosts no tenant ${tenantId}.`);
    return t;
  }

  targets(): AdminTarget[] {
    return [...this.slots.values()];
  }

  /** Hosts a new tenant (msp mode), or the first one. */
  add(fixture: TenantFixture): AdminTarget {
    const k = fixture.tenantId.toLowerCase();
    if (this.slots.size > 0 && !this.multiTenant) throw new Error('This Graph stand-in hosts one tenant (customer mode); start it with `tenants` to host several.');
    if (this.slots.has(k)) throw new Error(`Tenant ${fixture.tenantId} is hosted already; load a fixture into it with /_admin/tenants/${fixture.tenantId}/tenant.`);
    const target: AdminTarget = { fixture, state: new TenantState(fixture), replicationLagMs: 0, ...(this.authorization ? { authorization: this.authorization } : {}) };
    this.slots.set(k, target);
    this.attach(target);
    return target;
  }

  remove(tenantId: string): void {
    const k = tenantId.toLowerCase();
    if (!this.multiTenant) throw new Error('This Graph stand-in hosts one tenant (customer mode); it cannot remove it.');
    if (!this.slots.has(k)) throw new Error(`This Graph stand-in hosts no tenant ${tenantId}.`);
    if (k === this.defaultKey) throw new Error(`Tenant ${tenantId} is the default tenant (/_admin/tenant); it stays hosted.`);
    this.slots.delete(k);
    this.directory?.removeTenant(tenantId);
  }

  /** Replaces a tenant's fixture (and reset point). In msp mode the fixture must be of the same tenant. */
  load(target: AdminTarget, fixture: TenantFixture): void {
    if (this.multiTenant && fixture.tenantId.toLowerCase() !== target.fixture.tenantId.toLowerCase()) {
      throw new Error(`The fixture is of tenant ${fixture.tenantId}, not ${target.fixture.tenantId}: add another tenant with POST /_admin/tenants instead.`);
    }
    if (this.directory && fixture.tenantId.toLowerCase() !== target.fixture.tenantId.toLowerCase()) this.directory.removeTenant(target.fixture.tenantId);
    target.fixture = fixture;
    this.reset(target);
  }

  reset(target: AdminTarget): void {
    target.state = new TenantState(target.fixture);
    this.attach(target);
  }

  /** Wires a fresh state to the directory (its service principals) and tells the directory the tenant's domains. */
  private attach(target: AdminTarget): void {
    const state = target.state;
    state.replicationLagMs = target.replicationLagMs;
    const directory = this.directory;
    if (!directory) return;
    state.servicePrincipals = () => directory.servicePrincipals(state.tenantId);
    directory.upsertTenant({
      tenantId: state.tenantId,
      displayName: state.displayName,
      domains: state.domains.filter((d) => d.isVerified).map((d) => ({ name: d.id, isInitial: d.isInitial, isDefault: d.isDefault })),
    });
  }
}
