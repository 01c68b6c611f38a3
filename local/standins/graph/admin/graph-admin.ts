import type { IdentityId, PermissionsManifest } from '../../../../lib/permissions/manifest.js';
import type { GraphAuthorization } from '../authorization.js';
import type { FaultInjector, FaultRule, LatencyConfig } from '../faults.js';
import type { RequestLog, RequestLogEntry } from '../request-log.js';
import type { TenantFixture } from '../tenant/fixture-schema.js';
import { parseTenantFixture } from '../tenant/load-fixture.js';
import type { SentMail, TenantState } from '../tenant/state.js';
import { TenantState as State } from '../tenant/state.js';
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

export interface GraphAdmin {
  /** Validates and loads a fixture; it becomes the state `reset()` returns to. Throws FixtureError. */
  loadTenant(fixture: unknown): void;
  /** Back to the last loaded fixture. */
  reset(): void;
  /** Current state in fixture format. */
  tenant(): TenantFixture;
  requests(since?: number): RequestLogEntry[];
  clearRequests(): void;
  addFault(rule: FaultRule): FaultRule & { id: string };
  setLatency(latency: LatencyConfig | undefined): void;
  faults(): ReturnType<FaultInjector['list']>;
  clearFaults(): void;
  sentMail(): SentMail[];
  /** Directory replication lag in ms (0 = off): new users and fresh usageLocation values show up late. */
  setReplicationLag(ms: number): void;
  recipients(): RecipientInfo[];
  /** The permissions manifest the stand-in enforces and which token oid is which identity; undefined when not enforcing. */
  permissions(): { manifest: PermissionsManifest; principals: Record<string, IdentityId> } | undefined;
  /** Replaces the enforced manifest (validated); effective on the next request. Throws when not enforcing. */
  setPermissions(manifest: unknown): void;
}

export interface AdminTarget {
  state: TenantState;
  fixture: TenantFixture;
  /** Survives loads and resets: it describes the directory, not the tenant's content. */
  replicationLagMs: number;
  /** Permission enforcement (infra/permissions.json); survives loads and resets. */
  authorization?: GraphAuthorization;
}

function freshState(target: AdminTarget, fixture: TenantFixture): TenantState {
  const state = new State(fixture);
  state.replicationLagMs = target.replicationLagMs;
  return state;
}

export function createGraphAdmin(target: AdminTarget, faults: FaultInjector, log: RequestLog): GraphAdmin {
  return {
    loadTenant(input) {
      const fixture = parseTenantFixture(input);
      target.fixture = fixture;
      target.state = freshState(target, fixture);
    },
    reset() {
      target.state = freshState(target, target.fixture);
    },
    permissions: () => target.authorization?.snapshot(),
    setPermissions(manifest) {
      if (!target.authorization) throw new Error('This Graph stand-in was started without a permissions manifest; nothing is enforced.');
      target.authorization.setManifest(manifest);
    },
    setReplicationLag(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new Error('replication lag must be a non-negative number of milliseconds');
      target.replicationLagMs = ms;
      target.state.replicationLagMs = ms;
    },
    tenant: () => target.state.snapshot(),
    requests: (since) => log.list(since),
    clearRequests: () => log.clear(),
    addFault: (rule) => faults.add(rule),
    setLatency: (latency) => faults.setLatency(latency),
    faults: () => faults.list(),
    clearFaults: () => faults.clear(),
    sentMail: () => structuredClone(target.state.sentMail),
    recipients() {
      const state = target.state;
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
    },
  };
}
