import { createHash } from 'node:crypto';
import type { AuthMethodFixture, GroupFixture, SkuFixture, TenantFixture, UserFixture } from './fixture-schema.js';
import type { ServicePrincipalRecord } from '../../identity/signin/directory.js';
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
  /** Group-based assignments beyond the SKU's seats stay recorded in error (licenseAssignmentStates). */
  state: 'Active' | 'Error';
  error: 'None' | 'CountViolation';
}

type RawLicense = Omit<EffectiveLicense, 'state' | 'error'>;

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
   * not yet visible to other calls, as right after creation in Entra
   * (https://devblogs.microsoft.com/identity/designing-for-eventual-consistency-for-microsoft-entra/).
   */
  replicationLagMs = 0;
  /**
   * Service principals of apps in this tenant (msp mode: the multi-tenant app after admin consent), read live from
   * the Entra directory the sign-in stand-in shares; none without one.
   */
  servicePrincipals: () => ServicePrincipalRecord[] = () => [];
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

  private rawLicenses(user: UserRecord): RawLicense[] {
    const out: RawLicense[] = user.licenses.map((l) => ({ skuId: l.skuId, disabledPlans: [...l.disabledPlans], assignedByGroup: null }));
    for (const g of this.transitiveGroupsOf(user.id)) {
      for (const l of g.licenses) out.push({ skuId: l.skuId, disabledPlans: [...l.disabledPlans], assignedByGroup: g.id });
    }
    return out;
  }

  /**
   * Seat allocation for one SKU: direct assignments always hold a seat (assignLicense refuses beyond the
   * pool); users who only inherit the SKU get the remaining seats in directory order, the rest are in
   * CountViolation, as group-based licensing records them.
   */
  private seatAllocation(skuId: string): { direct: Set<string>; inheritedActive: Set<string> } {
    const id = skuId.toLowerCase();
    const enabled = this.findSku(id)?.prepaidUnits.enabled ?? 0;
    const direct = new Set<string>();
    for (const u of this.users.values()) if (u.licenses.some((l) => l.skuId.toLowerCase() === id)) direct.add(u.id);
    // Membership order decides: members added last (appended) are the ones left without a seat.
    const inheritedOnly: string[] = [];
    for (const g of this.groups.values()) {
      if (!g.licenses.some((l) => l.skuId.toLowerCase() === id)) continue;
      const queue = [...g.members];
      const seenGroups = new Set<string>([g.id.toLowerCase()]);
      while (queue.length > 0) {
        const memberId = (queue.shift() as string).toLowerCase();
        const nested = this.groups.get(memberId);
        if (nested) {
          if (!seenGroups.has(memberId)) queue.push(...nested.members);
          seenGroups.add(memberId);
          continue;
        }
        const user = this.users.get(memberId);
        if (user && !direct.has(user.id) && !inheritedOnly.includes(user.id)) inheritedOnly.push(user.id);
      }
    }
    return { direct, inheritedActive: new Set(inheritedOnly.slice(0, Math.max(0, enabled - direct.size))) };
  }

  effectiveLicenses(user: UserRecord): EffectiveLicense[] {
    const raw = this.rawLicenses(user);
    const allocations = new Map<string, ReturnType<TenantState['seatAllocation']>>();
    return raw.map((l) => {
      const key = l.skuId.toLowerCase();
      if (l.assignedByGroup === null || raw.some((d) => d.assignedByGroup === null && d.skuId.toLowerCase() === key)) {
        return { ...l, state: 'Active' as const, error: 'None' as const };
      }
      if (!allocations.has(key)) allocations.set(key, this.seatAllocation(key));
      const seated = allocations.get(key)?.inheritedActive.has(user.id) ?? false;
      return { ...l, state: seated ? ('Active' as const) : ('Error' as const), error: seated ? ('None' as const) : ('CountViolation' as const) };
    });
  }

  /** Seats in use: each user holding the SKU (directly, or through a group within the pool) counts once. */
  consumedUnits(skuId: string): number {
    const { direct, inheritedActive } = this.seatAllocation(skuId);
    return direct.size + inheritedActive.size;
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
