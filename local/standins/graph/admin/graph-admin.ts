import type { IdentityId, PermissionsManifest } from '../../../../lib/permissions/manifest.js';
import type { FaultInjector, FaultRule, LatencyConfig } from '../faults.js';
import type { RequestLog, RequestLogEntry } from '../request-log.js';
import type { TenantFixture } from '../tenant/fixture-schema.js';
import { parseTenantFixture } from '../tenant/load-fixture.js';
import type { SentMail, TenantState } from '../tenant/state.js';
import type { AdminTarget, TenantHost } from '../tenant/tenant-host.js';
import { userProxyAddresses } from '../resources/views.js';

/**
 * The admin surface, in-process (the `admin` handle) and over HTTP (/_admin). Tests and scripts
 * arrange and inspect the tenant only through this, never by reaching into the state directly.
 */

/** Mailbox and recipient data the Automation stand-in seeds its Exchange model from. */
export interface RecipientInfo {
  kind: 'mailbox' | 'group';
  id: string;
  displayName: string;
  primarySmtpAddress: string;
  /** Mailboxes: user/shared/room/equipment; groups: distribution/mailEnabledSecurity/microsoft365. */
  recipientType: string;
  userPrincipalName?: string;
  hiddenFromAddressLists?: boolean;
  proxyAddresses: string[];
  /** Groups: primary SMTP addresses of user members. */
  members?: string[];
}

/** The operations on one hosted tenant's content (msp mode: per tenant; customer mode: the one tenant). */
export interface GraphTenantAdmin {
  /** Validates and loads a fixture; it becomes the state `reset()` returns to. Throws FixtureError. */
  loadTenant(fixture: unknown): void;
  /** Back to the last loaded fixture. */
  reset(): void;
  /** Current state in fixture format. */
  tenant(): TenantFixture;
  sentMail(): SentMail[];
  /** Directory replication lag in ms (0 = off): new users and fresh usageLocation values show up late. */
  setReplicationLag(ms: number): void;
  recipients(): RecipientInfo[];
}

export interface HostedTenantSummary {
  tenantId: string;
  displayName: string;
  domains: string[];
  users: number;
  groups: number;
}

/** The whole admin surface: the default tenant's operations, the shared ones (log, faults, permissions), and msp mode's tenants. */
export interface GraphAdmin extends GraphTenantAdmin {
  requests(since?: number): RequestLogEntry[];
  clearRequests(): void;
  addFault(rule: FaultRule): FaultRule & { id: string };
  setLatency(latency: LatencyConfig | undefined): void;
  faults(): ReturnType<FaultInjector['list']>;
  clearFaults(): void;
  /** The permissions manifest the stand-in enforces and which token oid is which identity; undefined when not enforcing. */
  permissions(): { manifest: PermissionsManifest; principals: Record<string, IdentityId> } | undefined;
  /** Replaces the enforced manifest (validated); effective on the next request. Throws when not enforcing. */
  setPermissions(manifest: unknown): void;
  /** The hosted tenants (one in customer mode). */
  tenants(): HostedTenantSummary[];
  /** msp mode: hosts one more tenant (validated fixture). */
  addTenant(fixture: unknown): void;
  /** msp mode: stops hosting a tenant (not the default one). */
  removeTenant(tenantId: string): void;
  /** The operations on one hosted tenant, by id. Throws when it is not hosted. */
  forTenant(tenantId: string): GraphTenantAdmin;
}

export type { AdminTarget } from '../tenant/tenant-host.js';

function recipientsOf(state: TenantState): RecipientInfo[] {
  const out: RecipientInfo[] = [];
  for (const u of state.users.values()) {
    if (!u.mailbox || !u.mail) continue;
    out.push({
      kind: 'mailbox',
      id: u.id,
      displayName: u.displayName,
      primarySmtpAddress: u.mail,
      recipientType: u.mailbox.type,
      userPrincipalName: u.userPrincipalName,
      hiddenFromAddressLists: u.mailbox.hiddenFromAddressLists,
      proxyAddresses: userProxyAddresses(u),
    });
  }
  for (const g of state.groups.values()) {
    if (!g.mailEnabled || !g.mail) continue;
    const recipientType = g.groupTypes.includes('Unified') ? 'microsoft365' : g.securityEnabled ? 'mailEnabledSecurity' : 'distribution';
    const members = g.members.map((m) => state.findUser(m)?.mail).filter((m): m is string => typeof m === 'string');
    out.push({ kind: 'group', id: g.id, displayName: g.displayName, primarySmtpAddress: g.mail, recipientType, proxyAddresses: [`SMTP:${g.mail}`], members });
  }
  return out;
}

function tenantAdminOf(host: TenantHost, target: () => AdminTarget): GraphTenantAdmin {
  return {
    loadTenant: (input) => host.load(target(), parseTenantFixture(input)),
    reset: () => host.reset(target()),
    setReplicationLag(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new Error('replication lag must be a non-negative number of milliseconds');
      const t = target();
      t.replicationLagMs = ms;
      t.state.replicationLagMs = ms;
    },
    tenant: () => target().state.snapshot(),
    sentMail: () => structuredClone(target().state.sentMail),
    recipients: () => recipientsOf(target().state),
  };
}

export function createGraphAdmin(host: TenantHost, faults: FaultInjector, log: RequestLog): GraphAdmin {
  return {
    ...tenantAdminOf(host, () => host.defaultTarget()),
    permissions: () => host.authorization?.snapshot(),
    setPermissions(manifest) {
      if (!host.authorization) throw new Error('This Graph stand-in was started without a permissions manifest; nothing is enforced.');
      host.authorization.setManifest(manifest);
    },
    requests: (since) => log.list(since),
    clearRequests: () => log.clear(),
    addFault: (rule) => faults.add(rule),
    setLatency: (latency) => faults.setLatency(latency),
    faults: () => faults.list(),
    clearFaults: () => faults.clear(),
    tenants: () =>
      host.targets().map(({ state }) => ({
        tenantId: state.tenantId,
        displayName: state.displayName,
        domains: state.domains.filter((d) => d.isVerified).map((d) => d.id),
        users: state.users.size,
        groups: state.groups.size,
      })),
    addTenant: (input) => void host.add(parseTenantFixture(input)),
    removeTenant: (tenantId) => host.remove(tenantId),
    forTenant(tenantId) {
      host.target(tenantId);
      return tenantAdminOf(host, () => host.target(tenantId));
    },
  };
}
