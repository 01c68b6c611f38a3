import { z } from 'zod';
import { INTENT_IDS } from '../contract/types.js';
import shipped from '../../infra/permissions.json' with { type: 'json' };

/**
 * The permissions manifest (infra/permissions.json): every Graph application permission, Entra directory
 * role, Exchange permission and delegated connection each identity of the deployment holds, with the calls
 * and intents that need it and the Microsoft Learn page that says so. The deployment grants exactly this,
 * the local stand-ins enforce exactly this, and the README table is generated from it.
 */

export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const EXCHANGE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';

export const IDENTITY_IDS = ['logicApp', 'helpers', 'automation', 'office365'] as const;
export type IdentityId = (typeof IDENTITY_IDS)[number];

// The one intent table is the contract's; the manifest names intents by the same ids.
export { INTENT_IDS };

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a lower-case GUID');
const learnUrl = z.string().regex(/^https:\/\/learn\.microsoft\.com\//, 'must be a Microsoft Learn URL');
const common = {
  identity: z.enum(IDENTITY_IDS),
  value: z.string().min(1),
  why: z.string().min(20),
  calls: z.array(z.string().min(1)).min(1),
  intents: z.array(z.enum(INTENT_IDS)).min(1),
  docs: z.array(learnUrl).min(1),
};

export const grantSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('appRole'), resource: z.string().min(1), resourceAppId: guid, id: guid, ...common }),
  z.strictObject({ kind: z.literal('directoryRole'), id: guid, ...common }),
  z.strictObject({ kind: z.literal('delegated'), resource: z.string().min(1), resourceAppId: guid.optional(), id: z.string().min(1), ...common }),
]);

export const identitySchema = z.strictObject({
  id: z.enum(IDENTITY_IDS),
  name: z.string().min(1),
  principal: z.string().min(1),
  modes: z.array(z.enum(['customer', 'msp'])).min(1),
});

export const manifestSchema = z
  .strictObject({ identities: z.array(identitySchema).min(1), grants: z.array(grantSchema) })
  .superRefine((m, ctx) => {
    const ids = new Set(m.identities.map((i) => i.id));
    if (ids.size !== m.identities.length) ctx.addIssue({ code: 'custom', message: 'identity ids must be unique', path: ['identities'] });
    const seen = new Set<string>();
    m.grants.forEach((g, i) => {
      if (!ids.has(g.identity)) ctx.addIssue({ code: 'custom', message: `unknown identity '${g.identity}'`, path: ['grants', i, 'identity'] });
      const key = `${g.identity}|${g.kind}|${g.value}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `duplicate grant ${key}`, path: ['grants', i] });
      seen.add(key);
    });
  });

export type PermissionsManifest = z.output<typeof manifestSchema>;
export type Grant = z.output<typeof grantSchema>;
export type AppRoleGrant = Extract<Grant, { kind: 'appRole' }>;
export type Identity = z.output<typeof identitySchema>;

export class ManifestError extends Error {
  constructor(readonly problems: string[]) {
    super(`infra/permissions.json is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ManifestError';
  }
}

export function parseManifest(input: unknown): PermissionsManifest {
  const parsed = manifestSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ManifestError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
}

/** The manifest as shipped in infra/permissions.json (a fresh copy each call, so callers may edit it). */
export function shippedManifest(): PermissionsManifest {
  return parseManifest(structuredClone(shipped));
}

/** Grants of one identity. */
export function grantsOf(manifest: PermissionsManifest, identity: IdentityId): Grant[] {
  return manifest.grants.filter((g) => g.identity === identity);
}

/** Application permissions an identity holds on one resource API (e.g. Microsoft Graph): the token's `roles`. */
export function appRolesOf(manifest: PermissionsManifest, identity: IdentityId, resourceAppId = GRAPH_APP_ID): string[] {
  return grantsOf(manifest, identity)
    .filter((g): g is AppRoleGrant => g.kind === 'appRole' && g.resourceAppId === resourceAppId)
    .map((g) => g.value);
}

/** Entra directory roles (display names) an identity holds. */
export function directoryRolesOf(manifest: PermissionsManifest, identity: IdentityId): string[] {
  return grantsOf(manifest, identity)
    .filter((g) => g.kind === 'directoryRole')
    .map((g) => g.value);
}

/** A copy of the manifest without one grant (what the removal tests and a partial deployment look like). */
export function withoutGrant(manifest: PermissionsManifest, grant: Pick<Grant, 'identity' | 'kind' | 'value'>): PermissionsManifest {
  return {
    identities: manifest.identities,
    grants: manifest.grants.filter((g) => !(g.identity === grant.identity && g.kind === grant.kind && g.value === grant.value)),
  };
}

/** Who holds a grant, in the words of the deployment (for answers that say how to grant it). */
export const IDENTITY_LABELS: Record<IdentityId, string> = {
  logicApp: "the Logic App's managed identity",
  helpers: "the helper functions' managed identity",
  automation: "the Automation account's managed identity",
  office365: 'the mailbox that authorised the office365 connection',
};
