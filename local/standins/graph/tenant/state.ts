import { createHash } from 'node:crypto';
import type { AuthMethodFixture, GroupFixture, SkuFixture, TenantFixture, UserFixture } from './fixture-schema.js';
import { ROLE_ASSIGNABLE_MEMBER } from './privileges.js';

/**
 * The mutable tenant: users, groups, licences, authentication methods, mail sent.
 * Resource modules read and change it; the admin API loads, snapshots and resets it.
 */

export const PASSWORD_METHOD_ID = '28c10230-6103-485e-b985-444c60001490';
const PHONE_METHOD_IDS = {
  mobile: '3179e48a-750b-4051-897c-87b9720928f7',
  alternateMobile: 'b6332ec1-7057-4abe-9331-3d72feddfe41',
  office: 'e37fc753-ff3b-4958-9484-eaa9425c82bc',
} as const;
const EMAIL_METHOD_ID = '3ddfcfc8-9383-446f-83cc-3ab9be4be18f';

export type AuthMethodRecord = AuthMethodFixture & { id: string; createdDateTime: string };

export type UserRecord = Omit<UserFixture, 'authMethods'> & {
  authMethods: AuthMethodRecord[];
  passwordLastSetDateTime: string;
  forceChangePasswordNextSignIn: boolean;
  signInSessionsValidFromDateTime: string;
};

export type GroupRecord = GroupFixture;

export interface EffectiveLicense {
  skuId: string;
  disabledPlans: string[];
  /** null for a direct assignment, else the group id it is inherited from. */
  assignedByGroup: string | null;
}

export interface SentMail {
  seq: number;
  from: string;
  message: Record<string, unknown>;
  saveToSentItems: boolean;
  sentDateTime: string;
}

const FIXTURE_EPOCH = '2024-01-15T09:00:00Z';

/** Stable id for fixture methods given without one, so reloads keep ids. */
function derivedId(userId: string, index: number, type: string): string {
  const h = createHash('sha256').update(`${userId}:${index}:${type}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function methodIdFor(userId: string, index: number, m: AuthMethodFixture): string {
  if (m.id) return m.id;
  if (m.type === 'phone' && m.phoneType) return PHONE_METHOD_IDS[m.phoneType];
  if (m.type === 'email') return EMAIL_METHOD_ID;
  return derivedId(userId, index, m.type);
}

function toUserRecord(u: UserFixture): UserRecord {
  const { authMethods, ...rest } = structuredClone(u);
  return {
    ...rest,
    authMethods: authMethods.map((m, i) => ({ ...m, id: methodIdFor(u.id, i, m), createdDateTime: m.createdDateTime ?? FIXTURE_EPOCH })),
    passwordLastSetDateTime: u.createdDateTime ?? FIXTURE_EPOCH,
    forceChangePasswordNextSignIn: false,
    signInSessionsValidFromDateTime: u.createdDateTime ?? FIXTURE_EPOCH,
  };
}

export class TenantState {
  readonly tenantId: string;
  readonly displayName: string;
  readonly caller: TenantFixture['caller'];
  readonly domains: TenantFixture['domains'];
  readonly skus: SkuFixture[];
  readonly users = new Map<string, UserRecord>();
  readonly groups = new Map<string, GroupRecord>();
  /** Soft-deleted users (directory deletedItems), restorable for 30 days in the real service. */
  readonly deletedUsers = new Map<string, UserRecord>();
  readonly sentMail: SentMail[] = [];
  /**
   * Directory replication lag (ms, default 0): objects created or usageLocation values set within it are
   * not yet visible to other calls, as right after creation in Entra (peers.md §7 "Replication lag").
   */
  replicationLagMs = 0;
  private readonly createdAt = new Map<string, number>();
  private readonly usageLocationSetAt = new Map<string, number>();

  constructor(readonly fixture: TenantFixture) {
    const f = structuredClone(fixture);
    this.tenantId = f.tenantId;
    this.displayName = f.displayName;
    this.caller = f.caller;
    this.domains = f.domains;
    this.skus = f.subscribedSkus;
    for (const u of f.users) this.users.set(u.id.toLowerCase(), toUserRecord(u));
    for (const g of f.groups) this.groups.set(g.id.toLowerCase(), g);
  }

  /** By object id or userPrincipalName, case-insensitively (as Graph resolves /users/{key}). */
  findUser(key: string, opts: { includeReplicating?: boolean } = {}): UserRecord | undefined {
    const k = key.toLowerCase();
    let found = this.users.get(k);
    if (!found) for (const u of this.users.values()) if (u.userPrincipalName.toLowerCase() === k) found = u;
    if (found && !opts.includeReplicating && this.isReplicating(found.id)) return undefined;
    return found;
  }

  /** Records a new object so reads miss it until the replication lag has passed. */
  markCreated(id: string): void {
    if (this.replicationLagMs > 0) this.createdAt.set(id.toLowerCase(), Date.now());
  }

  markUsageLocationSet(id: string): void {
    if (this.replicationLagMs > 0) this.usageLocationSetAt.set(id.toLowerCase(), Date.now());
  }

  isReplicating(id: string): boolean {
    const t = this.createdAt.get(id.toLowerCase());
    return t !== undefined && Date.now() - t < this.replicationLagMs;
  }

  /** A usageLocation set moments ago is not yet seen by licensing ("invalid usage location"). */
  usageLocationPending(id: string): boolean {
    const t = this.usageLocationSetAt.get(id.toLowerCase());
    return t !== undefined && Date.now() - t < this.replicationLagMs;
  }

  /** Users visible to reads (lists skip objects still replicating). */
  visibleUsers(): UserRecord[] {
    return [...this.users.values()].filter((u) => !this.isReplicating(u.id));
  }

  /** Soft delete (directory deletedItems): memberships and ownerships go, licences free their seats. */
  softDeleteUser(user: UserRecord): void {
    const id = user.id.toLowerCase();
    for (const g of this.groups.values()) {
      g.members = g.members.filter((m) => m.toLowerCase() !== id);
      g.owners = g.owners.filter((o) => o.toLowerCase() !== id);
    }
    this.users.delete(id);
    this.deletedUsers.set(id, user);
  }

  findGroup(id: string): GroupRecord | undefined {
    return this.groups.get(id.toLowerCase());
  }

  findObject(id: string): { kind: 'user'; user: UserRecord } | { kind: 'group'; group: GroupRecord } | undefined {
    const user = this.users.get(id.toLowerCase());
    if (user) return this.isReplicating(user.id) ? undefined : { kind: 'user', user };
    const group = this.groups.get(id.toLowerCase());
    return group ? { kind: 'group', group } : undefined;
  }

  isMember(group: GroupRecord, objectId: string): boolean {
    return group.members.some((m) => m.toLowerCase() === objectId.toLowerCase());
  }

  directGroupsOf(objectId: string): GroupRecord[] {
    return [...this.groups.values()].filter((g) => this.isMember(g, objectId));
  }

  /** Every group reached through nested membership, each once. */
  transitiveGroupsOf(objectId: string): GroupRecord[] {
    const seen = new Map<string, GroupRecord>();
    const queue = [objectId];
    while (queue.length > 0) {
      const current = queue.shift() as string;
      for (const g of this.directGroupsOf(current)) {
        if (seen.has(g.id)) continue;
        seen.set(g.id, g);
        queue.push(g.id);
      }
    }
    return [...seen.values()];
  }

  /** Direct roles plus roles held through role-assignable groups (and the pseudo-role for those members). */
  rolesOf(userId: string): string[] {
    const user = this.users.get(userId.toLowerCase());
    if (!user) return [];
    const roles = new Set(user.roles);
    for (const g of this.directGroupsOf(user.id)) {
      if (!g.isAssignableToRole) continue;
      roles.add(ROLE_ASSIGNABLE_MEMBER);
      g.roles.forEach((r) => roles.add(r));
    }
    return [...roles];
  }

  /** Real directory roles (without the pseudo-role) and the group they come through, if any. */
  roleAssignmentsOf(userId: string): Array<{ role: string; viaGroup: string | null }> {
    const user = this.users.get(userId.toLowerCase());
    if (!user) return [];
    const out = user.roles.map((role) => ({ role, viaGroup: null as string | null }));
    for (const g of this.directGroupsOf(user.id)) if (g.isAssignableToRole) g.roles.forEach((role) => out.push({ role, viaGroup: g.id }));
    return out;
  }

  effectiveLicenses(user: UserRecord): EffectiveLicense[] {
    const out: EffectiveLicense[] = user.licenses.map((l) => ({ skuId: l.skuId, disabledPlans: [...l.disabledPlans], assignedByGroup: null }));
    for (const g of this.transitiveGroupsOf(user.id)) {
      for (const l of g.licenses) out.push({ skuId: l.skuId, disabledPlans: [...l.disabledPlans], assignedByGroup: g.id });
    }
    return out;
  }

  /** Seats in use: each user holding the SKU directly or through a group counts once. */
  consumedUnits(skuId: string): number {
    const id = skuId.toLowerCase();
    let n = 0;
    for (const u of this.users.values()) if (this.effectiveLicenses(u).some((l) => l.skuId.toLowerCase() === id)) n += 1;
    return n;
  }

  findSku(skuId: string): SkuFixture | undefined {
    return this.skus.find((s) => s.skuId.toLowerCase() === skuId.toLowerCase());
  }

  isVerifiedDomain(domain: string): boolean {
    return this.domains.some((d) => d.isVerified && d.id.toLowerCase() === domain.toLowerCase());
  }

  /** The current state in fixture format (GET /_admin/tenant), loadable again as is. */
  snapshot(): TenantFixture {
    return {
      tenantId: this.tenantId,
      displayName: this.displayName,
      caller: structuredClone(this.caller),
      domains: structuredClone(this.domains),
      subscribedSkus: structuredClone(this.skus),
      users: [...this.users.values()].map((u) => {
        const { passwordLastSetDateTime: _p, forceChangePasswordNextSignIn: _f, signInSessionsValidFromDateTime: _s, ...rest } = structuredClone(u);
        return rest;
      }),
      groups: structuredClone([...this.groups.values()]),
    };
  }
}
