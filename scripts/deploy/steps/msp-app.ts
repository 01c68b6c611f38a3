import { DeployProblem } from '../errors.js';
import { grantsForMode, loadManifest, MANIFEST_PATH, type PermissionManifest } from '../manifest.js';
import { need, type DeployContext, type Step } from '../context.js';

/**
 * msp mode: the multi-tenant app registration customer tenants consent to, and the one credential it has: a
 * federated identity credential trusting the deployment's user-assigned managed identity. No client secret or
 * certificate is ever added (infra/README.md, "msp mode").
 * Source: https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity
 */

export interface RequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: Array<{ id: string; type: 'Role' }>;
}

interface Application {
  id: string;
  appId: string;
  displayName: string;
  signInAudience?: string;
  requiredResourceAccess?: RequiredResourceAccess[];
}

interface FederatedCredential {
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
}

export const MSP_AUDIENCE = 'AzureADMultipleOrgs';
/** The audience a managed identity's token for the exchange carries (public cloud), as Learn's page above gives it. */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
export const FEDERATED_CREDENTIAL_NAME = 'thread-intent-runner-managed-identity';

export function mspAppDisplayName(baseName: string): string {
  return `Thread intent runner (${baseName})`;
}

/**
 * The application permissions (type Role) of every identity the manifest lists for msp mode, one entry per resource
 * API, sorted: in msp mode one app holds them all in each customer tenant, so the admin-consent URL grants exactly the
 * manifest. Delegated grants (the office365 connection) stay in the MSP's tenant and are not part of it.
 */
export function requiredResourceAccess(manifest: PermissionManifest): RequiredResourceAccess[] {
  const byApp = new Map<string, Set<string>>();
  for (const g of grantsForMode(manifest, 'msp')) {
    if (g.kind !== 'appRole' || !g.resourceAppId) continue;
    const ids = byApp.get(g.resourceAppId) ?? new Set<string>();
    ids.add(g.id);
    byApp.set(g.resourceAppId, ids);
  }
  return [...byApp.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([resourceAppId, ids]) => ({ resourceAppId, resourceAccess: [...ids].sort().map((id) => ({ id, type: 'Role' as const })) }));
}

/** The directory roles the manifest lists for msp mode: consent cannot grant them, the customer's admin assigns them. */
export function directoryRolesForMsp(manifest: PermissionManifest): Array<{ name: string; id: string }> {
  const seen = new Map<string, string>();
  for (const g of grantsForMode(manifest, 'msp')) if (g.kind === 'directoryRole') seen.set(g.id, g.value);
  return [...seen.entries()].map(([id, name]) => ({ id, name }));
}

function sameAccess(a: RequiredResourceAccess[] | undefined, b: RequiredResourceAccess[]): boolean {
  const norm = (list: RequiredResourceAccess[]): string =>
    JSON.stringify(
      [...list]
        .map((r) => ({ resourceAppId: r.resourceAppId, resourceAccess: [...r.resourceAccess].map((x) => `${x.type}:${x.id}`).sort() }))
        .sort((x, y) => x.resourceAppId.localeCompare(y.resourceAppId)),
    );
  return norm(a ?? []) === norm(b);
}

function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export const mspAppStep: Step = {
  id: 'msp-app',
  title: 'Multi-tenant app registration (customer tenants consent to it; permissions from infra/permissions.json)',
  modes: ['msp'],
  async run(ctx: DeployContext) {
    const manifest = await loadManifest(ctx.root);
    const access = requiredResourceAccess(manifest);
    if (access.length === 0) throw new DeployProblem(`${MANIFEST_PATH} lists no application permission for msp mode.`, `Add 'msp' to the identities' modes in ${MANIFEST_PATH}`);
    const name = mspAppDisplayName(ctx.options.baseName);
    const found = (await ctx.run.check(['ad', 'app', 'list', '--filter', `displayName eq ${odataString(name)}`], { plan: [] })) as Application[];
    if (found.length > 1) {
      throw new DeployProblem(`${found.length} app registrations are named "${name}" (${found.map((a) => a.appId).join(', ')}).`, 'Delete the extra ones in Entra admin center > App registrations.');
    }
    const json = JSON.stringify(access);
    let app = found[0];
    if (!app) {
      app = (await ctx.run.apply(['ad', 'app', 'create', '--display-name', name, '--sign-in-audience', MSP_AUDIENCE, '--required-resource-accesses', json], {
        plan: { id: '<mspAppObjectId>', appId: '<mspAppId>', displayName: name },
      })) as Application;
      ctx.state.mspAppId = app.appId;
      return { status: 'changed', summary: `${name} (${app.appId}) created, multi-tenant, ${access.reduce((n, r) => n + r.resourceAccess.length, 0)} application permissions` };
    }
    ctx.state.mspAppId = app.appId;
    const fixes: string[] = [];
    if (app.signInAudience !== MSP_AUDIENCE) fixes.push('--sign-in-audience', MSP_AUDIENCE);
    if (!sameAccess(app.requiredResourceAccess, access)) fixes.push('--required-resource-accesses', json);
    if (fixes.length === 0) return { status: 'unchanged', summary: `${name} (${app.appId}): multi-tenant, permissions as in ${MANIFEST_PATH}` };
    await ctx.run.apply(['ad', 'app', 'update', '--id', app.appId, ...fixes]);
    return { status: 'changed', summary: `${name} (${app.appId}) updated to match ${MANIFEST_PATH} (customers consented earlier must consent again to new permissions)` };
  },
};

export const mspFederatedCredentialStep: Step = {
  id: 'msp-federated-credential',
  title: "The app's only credential: trust in the deployment's managed identity (federated identity credential)",
  modes: ['msp'],
  async run(ctx: DeployContext) {
    const appId = need(ctx, 'mspAppId');
    const outputs = need(ctx, 'outputs');
    const wanted: FederatedCredential = {
      name: FEDERATED_CREDENTIAL_NAME,
      issuer: `https://login.microsoftonline.com/${need(ctx, 'tenantId')}/v2.0`,
      subject: outputs.mspIdentityPrincipalId ?? '',
      audiences: [TOKEN_EXCHANGE_AUDIENCE],
    };
    const parameters = JSON.stringify({ ...wanted, description: 'User-assigned managed identity of the Thread intent runner deployment (no secret, no certificate).' });
    const existing = (await ctx.run.check(['ad', 'app', 'federated-credential', 'list', '--id', appId], { plan: [] })) as FederatedCredential[];
    const current = existing.find((c) => c.name === FEDERATED_CREDENTIAL_NAME);
    if (!current) {
      await ctx.run.apply(['ad', 'app', 'federated-credential', 'create', '--id', appId, '--parameters', parameters]);
      return { status: 'changed', summary: `created: issuer ${wanted.issuer}, subject ${wanted.subject}` };
    }
    if (current.issuer === wanted.issuer && current.subject === wanted.subject && current.audiences.join() === wanted.audiences.join()) {
      return { status: 'unchanged', summary: `in place: subject ${wanted.subject}` };
    }
    await ctx.run.apply(['ad', 'app', 'federated-credential', 'update', '--id', appId, '--federated-credential-id', FEDERATED_CREDENTIAL_NAME, '--parameters', parameters]);
    return { status: 'changed', summary: `updated to subject ${wanted.subject}` };
  },
};
