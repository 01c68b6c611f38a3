import { DeployProblem } from '../errors.js';
import type { DeployContext, Step } from '../context.js';

interface Application {
  id: string;
  appId: string;
  displayName: string;
  identifierUris?: string[];
}

export function helpersAppDisplayName(baseName: string): string {
  return `Thread intent runner helpers (${baseName})`;
}

/** OData string literal: a single quote is written twice. */
function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

async function findOrCreateApp(ctx: DeployContext): Promise<{ app: Application; created: boolean }> {
  const { options, run } = ctx;
  if (options.helpersAppId) {
    const app = (await run.checkOptional(['ad', 'app', 'show', '--id', options.helpersAppId], {
      plan: { id: '<helpersAppObjectId>', appId: options.helpersAppId, displayName: '<name>', identifierUris: [] },
    })) as Application | undefined;
    if (!app) {
      throw new DeployProblem(
        `No app registration with client id ${options.helpersAppId} in this tenant.`,
        'Check --helpers-app-id (Entra admin center > App registrations), or leave it out to create one.',
      );
    }
    return { app, created: false };
  }
  const name = helpersAppDisplayName(options.baseName);
  // --filter with eq, not --display-name: that one matches by prefix (startswith) and would find "… (contoso2)" too.
  const found = (await run.check(['ad', 'app', 'list', '--filter', `displayName eq ${odataString(name)}`], { plan: [] })) as Application[];
  if (found.length > 1) {
    throw new DeployProblem(
      `${found.length} app registrations are named "${name}" (${found.map((a) => a.appId).join(', ')}).`,
      'Delete the extra ones in Entra admin center > App registrations, or pass --helpers-app-id <the one to keep>.',
    );
  }
  if (found[0]) return { app: found[0], created: false };
  const app = (await run.apply(['ad', 'app', 'create', '--display-name', name, '--sign-in-audience', 'AzureADMyOrg'], {
    plan: { id: '<helpersAppObjectId>', appId: '<helpersAppId>', displayName: name, identifierUris: [] },
  })) as Application;
  return { app, created: true };
}

/**
 * The helpers' Easy Auth audience is `api://<appId>` of this app registration. The Logic App's identity can get a
 * token for it only when the app has a service principal in the tenant: without one the token request fails and
 * the first webhook stops at Validate_payload.
 */
export const helpersAppStep: Step = {
  id: 'helpers-app',
  title: "App registration of the helpers API (identifier URI api://<appId>)",
  modes: ['customer', 'msp'],
  async run(ctx) {
    const { app, created } = await findOrCreateApp(ctx);
    const uri = `api://${app.appId}`;
    const uris = app.identifierUris ?? [];
    let changed = created;
    if (!uris.includes(uri)) {
      // The list replaces the app's identifier URIs: keep any the app already has.
      await ctx.run.apply(['ad', 'app', 'update', '--id', app.appId, '--identifier-uris', ...uris, uri]);
      changed = true;
    }
    ctx.state.helpersAppId = app.appId;
    return {
      status: changed ? 'changed' : 'unchanged',
      summary: `${app.displayName} (${app.appId})${created ? ' created' : ''}${changed ? `, identifier URI ${uri} set` : ', identifier URI set'}`,
    };
  },
};

export const helpersServicePrincipalStep: Step = {
  id: 'helpers-service-principal',
  title: 'Service principal of the helpers API (lets the Logic App get a token for it)',
  modes: ['customer', 'msp'],
  async run(ctx) {
    const appId = ctx.state.helpersAppId ?? '<helpersAppId>';
    const found = (await ctx.run.check(['ad', 'sp', 'list', '--filter', `appId eq ${odataString(appId)}`], { plan: [] })) as Array<{ id: string }>;
    if (found[0]) return { status: 'unchanged', summary: `exists (${found[0].id})` };
    const sp = (await ctx.run.apply(['ad', 'sp', 'create', '--id', appId], { plan: { id: '<helpersServicePrincipalId>' } })) as { id: string };
    return { status: 'changed', summary: `created (${sp.id})` };
  },
};
