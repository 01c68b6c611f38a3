import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { startRuntime, type RuntimeHandle } from './runtime/index.js';
import { createAzureAutomationProvider } from './runtime/connectors/azure-automation.js';
import { defaultTenantFixture, fabrikamTenantFixture, startGraphStandIn } from './standins/graph/index.js';
import type { FaultRule, LatencyConfig } from './standins/graph/faults.js';
import { startIdentityStandIn, type IdentityStandIn } from './standins/identity/index.js';
import { EntraDirectory, LOCAL_MSP, setUpMspTenants, startSignInStandIn, type SignInStandIn } from './standins/identity/signin/index.js';
import { startAutomationStandIn } from './standins/automation/index.js';
import defaultExchangeFixture from './standins/automation/fixtures/default-exchange.json' with { type: 'json' };
import { startOutlookStandIn } from './standins/outlook/index.js';
import { startAzurite } from './standins/azurite.js';
import { startFunctionsHost } from './functions-host/index.js';
import { appRolesOf, directoryRolesOf, EXCHANGE_APP_ID, shippedManifest, type PermissionsManifest } from '../lib/permissions/manifest.js';
import type { CustomerStatus } from '../lib/msp/customer-row.js';
import { exchangeFixtureFromGraph, registerLocalCustomers, setLocalCustomerStatus, type LocalCustomerId, type LocalMspCustomer } from './msp-customers.js';

export type { LocalCustomerId, LocalMspCustomer } from './msp-customers.js';

/**
 * customer: one deployment in the customer's tenant (managed identities act there). msp: one deployment in the MSP's
 * tenant serving several customer tenants through the multi-tenant app (docs/msp-mode.md). Azure's setting name.
 */
export type DeploymentMode = 'customer' | 'msp';

/**
 * The whole system on one machine: every stand-in, the helper functions and the Logic Apps runtime,
 * wired with the same app settings names as in Azure. `npm start` and the integration tests both use it,
 * so what the tests exercise is what a technician runs.
 */
export interface LocalSystemOptions {
  /** Default: env DEPLOYMENT_MODE (the app setting's name in Azure), else customer. */
  mode?: DeploymentMode;
  /** Where run history, SAS keys and Azurite data live. Default: a fresh temp folder. */
  dataDir?: string;
  /** The Logic Apps project to run. Default: this repository. */
  projectDir?: string;
  /** Scales waits (retry intervals, Retry-After, Wait actions, job latency); 1 = real time. */
  timeScale?: number;
  /** Fixed ports for `npm start`; tests leave them out (free ports). */
  ports?: Partial<Record<'runtime' | 'functions' | 'graph' | 'automation' | 'outlook' | 'identity' | 'signIn' | 'tables', number>>;
  /** Azure Automation job duration in the stand-in, before time scaling. */
  jobLatencyMs?: number;
  notificationEmail?: string;
  /** Graph stand-in fault and latency injection from the start (tests usually use its admin API instead). */
  graph?: { faults?: FaultRule[]; latency?: LatencyConfig };
  /** Extra app settings for the Logic App (override the defaults). */
  appSettings?: Record<string, string>;
  /**
   * What each identity holds (infra/permissions.json by default). The Graph and Automation stand-ins
   * enforce it; change it later with `graph.admin.setPermissions()` and Automation's /_admin/exchange/access.
   */
  permissions?: PermissionsManifest;
}

export interface LocalEndpoints {
  /**
   * What an MSP pastes into Thread. customer mode: the router's signed trigger URL. msp mode: Contoso's URL (that
   * URL plus `customer` and `customerKey`), so tests written for one tenant act on Contoso in both modes.
   */
  webhook: string;
  /** msp mode: each customer's webhook URL. */
  customers?: Record<LocalCustomerId, string>;
  triggers: Record<string, string>;
  runHistory: string;
  runtime: string;
  functions: string;
  graph: string;
  automation: string;
  outlook: string;
  identity: string;
  /** msp mode: the sign-in stand-in (AZURE_AUTHORITY_HOST). */
  signIn?: string;
  tables: string;
}

export type GraphStandIn = Awaited<ReturnType<typeof startGraphStandIn>>;
export type AutomationStandIn = Awaited<ReturnType<typeof startAutomationStandIn>>;
export type OutlookStandIn = Awaited<ReturnType<typeof startOutlookStandIn>>;

/** msp mode: the Entra side and the customers. */
export interface LocalMsp {
  signIn: SignInStandIn;
  /** The one Entra directory the sign-in and Graph stand-ins share (consent, directory roles). */
  directory: EntraDirectory;
  customers: Record<LocalCustomerId, LocalMspCustomer>;
  /** Changes a registry row's Status as `npm run customer:remove` does; the helpers read it on the next call. */
  setCustomerStatus(id: string, status: CustomerStatus): Promise<void>;
}

export interface LocalSystem {
  mode: DeploymentMode;
  endpoints: LocalEndpoints;
  graph: GraphStandIn;
  automation: AutomationStandIn;
  outlook: OutlookStandIn;
  identity: IdentityStandIn;
  /** msp mode only. */
  msp?: LocalMsp;
  runtime: RuntimeHandle;
  /** The Logic App's app settings as the runtime got them (npm run designer copies them for the VS Code extension). */
  logicAppSettings: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export const ROUTER_WORKFLOW = 'thread-webhook';
export const HELPERS_AUDIENCE = 'api://thread-intent-helpers';
/**
 * Object ids of the local managed identities. As in Azure, the Logic App, the Function App and the
 * Automation account each have their own identity, their own IDENTITY_HEADER and their own grants from
 * infra/permissions.json.
 */
export const LOCAL_IDENTITIES = {
  logicApp: { objectId: '6a1f4c3e-0b7d-4e55-9c1a-2f8e7d6c5b4a', clientId: 'a41c7e2d-5b9f-4c1e-8d3a-6f2b9e0c7d15' },
  helpers: { objectId: '7b2e5d4f-1c8e-4f66-8d2b-3a9f8e7d6c5b', clientId: 'b52d8f3e-6c0a-4d2f-9e4b-7a3c0f1d8e26' },
  automation: { objectId: '3c9b2f6e-8d41-4a7e-b5c2-7e1f0a9d4b63', clientId: '9e4d1a7c-2b6f-4c83-a0d5-5f8e3b2c1a94' },
} as const;
/** The Logic App's managed identity: the only caller the helpers' Easy Auth admits. */
export const LOCAL_WORKLOAD_OBJECT_ID = LOCAL_IDENTITIES.logicApp.objectId;

/** DEPLOYMENT_MODE as Azure's app setting spells it; anything else is refused with a message naming the setting. */
export function deploymentModeFromEnv(env: NodeJS.ProcessEnv = process.env): DeploymentMode {
  const raw = (env.DEPLOYMENT_MODE ?? '').trim();
  if (raw === '' || raw === 'customer') return 'customer';
  if (raw === 'msp') return 'msp';
  throw new Error(`DEPLOYMENT_MODE must be "customer" or "msp" (got "${raw}").`);
}

/** The ids of the local msp system's customer tenants: the Graph stand-in's two fixtures. */
const CUSTOMER_FIXTURES = { contoso: defaultTenantFixture, fabrikam: fabrikamTenantFixture } as const;

export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const mode = options.mode ?? deploymentModeFromEnv();
  const msp = mode === 'msp';
  const dataDir = resolve(options.dataDir ?? join(tmpdir(), `thread-intent-runner-${randomUUID()}`));
  const projectDir = resolve(options.projectDir ?? process.cwd());
  const timeScale = options.timeScale ?? 1;
  const ports = options.ports ?? {};
  await mkdir(dataDir, { recursive: true });

  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      await stop().catch(() => undefined);
    }
  };

  try {
    const manifest = options.permissions ?? shippedManifest();
    const identity = await startIdentityStandIn({
      port: ports.identity,
      // msp mode: the identities live in the MSP's tenant; the user-assigned one is the multi-tenant app's federated
      // credential, attached to the Logic App, the helpers and the Automation account (infra/README.md "msp mode").
      ...(msp ? { tenantId: LOCAL_MSP.tenantId, userAssigned: [{ ...LOCAL_MSP.identity }] } : {}),
      apps: (['logicApp', 'helpers', 'automation'] as const).map((app) => ({
        name: app,
        principals: [
          {
            ...LOCAL_IDENTITIES[app],
            graphRoles: appRolesOf(manifest, app),
            exchangeRoles: appRolesOf(manifest, app, EXCHANGE_APP_ID),
          },
        ],
      })),
    });
    stops.push(() => identity.stop());
    const fixtures = { contoso: CUSTOMER_FIXTURES.contoso(), fabrikam: CUSTOMER_FIXTURES.fabrikam() };
    const directory = msp ? new EntraDirectory(manifest) : undefined;
    const graph = await startGraphStandIn({
      port: ports.graph,
      ...options.graph,
      // msp mode: Contoso first, so the default-tenant admin calls (`sys.graph.admin`) act on Contoso.
      ...(directory ? { tenants: [fixtures.contoso, fixtures.fabrikam], directory } : {}),
      permissions: {
        manifest,
        principals: { [LOCAL_IDENTITIES.logicApp.objectId]: 'logicApp', [LOCAL_IDENTITIES.helpers.objectId]: 'helpers' },
      },
    });
    stops.push(() => graph.stop());
    let signIn: SignInStandIn | undefined;
    if (directory) {
      signIn = await startSignInStandIn({ port: ports.signIn, directory });
      stops.push(() => (signIn as SignInStandIn).stop());
      // What `npm run deploy -- --mode msp` and `npm run customer:add` leave in Entra: the app trusting the identity,
      // and in both customer tenants admin consent plus the manifest's directory roles.
      setUpMspTenants(directory, {
        appId: LOCAL_MSP.appId,
        mspTenantId: LOCAL_MSP.tenantId,
        identityPrincipalId: LOCAL_MSP.identity.objectId,
        customers: [{ tenantId: fixtures.contoso.tenantId }, { tenantId: fixtures.fabrikam.tenantId }],
      });
    }
    const automation = await startAutomationStandIn({
      port: ports.automation,
      // One tenant: a runbook's change to a DL or mailbox shows through Graph (docs/exchange-stand-in.md).
      // msp mode: one organization per customer tenant, each sharing that tenant's Graph state.
      ...(signIn
        ? {
            msp: {
              organizations: [
                { tenantId: fixtures.contoso.tenantId, exchange: defaultExchangeFixture, tenant: () => graph.tenantState(fixtures.contoso.tenantId) },
                {
                  tenantId: fixtures.fabrikam.tenantId,
                  exchange: exchangeFixtureFromGraph(graph.admin.forTenant(fixtures.fabrikam.tenantId), verifiedDomains(fixtures.fabrikam), initialDomain(fixtures.fabrikam)),
                  tenant: () => graph.tenantState(fixtures.fabrikam.tenantId),
                },
              ],
              identity: { endpoint: identity.url, header: identity.env('automation').IDENTITY_HEADER },
              authorityHost: signIn.url,
              appClientId: LOCAL_MSP.appId,
              identityClientId: LOCAL_MSP.identity.clientId,
            },
          }
        : { tenant: graph.tenantState }),
      jobLatencyMs: Math.max(1, Math.round((options.jobLatencyMs ?? 2000) * timeScale)),
      identity: {
        principalId: LOCAL_IDENTITIES.automation.objectId,
        appId: LOCAL_IDENTITIES.automation.clientId,
        exchangeAppRoles: appRolesOf(manifest, 'automation', EXCHANGE_APP_ID),
        directoryRoles: directoryRolesOf(manifest, 'automation'),
      },
    });
    stops.push(() => automation.stop());
    const office365Key = 'local-office365-connection-key';
    const outlook = await startOutlookStandIn({ port: ports.outlook, connectionKey: office365Key });
    stops.push(() => outlook.stop());
    const azurite = await startAzurite({ port: ports.tables, location: join(dataDir, 'azurite') });
    stops.push(() => azurite.stop());

    // The helpers read their settings from process.env (as they do in Azure Functions); locally they share
    // this process, so the same names are set here.
    const helperEnv: Record<string, string> = {
      ...identity.env('helpers'),
      GRAPH_BASE_URL: graph.url,
      DEPLOYMENT_MODE: mode,
      // msp mode: Graph tokens for a customer's tenant come from the app's federated credential (docs/msp-mode.md);
      // GRAPH_AUTH_MODE stays unset (managed-identity would read the MSP's own directory).
      ...(signIn
        ? { MSP_APP_CLIENT_ID: LOCAL_MSP.appId, MSP_IDENTITY_CLIENT_ID: LOCAL_MSP.identity.clientId, AZURE_AUTHORITY_HOST: signIn.url }
        : { GRAPH_AUTH_MODE: 'managed-identity' }),
      TABLES_CONNECTION_STRING: azurite.connectionString,
      ALLOWED_CALLER_OBJECT_IDS: LOCAL_WORKLOAD_OBJECT_ID,
      DEFAULT_USAGE_LOCATION: 'US',
      STATUS_URL_SIGNING_KEY: await persistentKey(join(dataDir, 'status-url-signing-key')),
    };
    for (const name of msp ? ['GRAPH_AUTH_MODE'] : ['MSP_APP_CLIENT_ID', 'MSP_IDENTITY_CLIENT_ID', 'AZURE_AUTHORITY_HOST']) delete process.env[name];
    Object.assign(process.env, helperEnv);
    // The built-in Azure Automation connector has no endpoint setting in Azure; locally it reads ARM_ENDPOINT.
    process.env.ARM_ENDPOINT = automation.url;
    const functions = await startFunctionsHost({ port: ports.functions, env: helperEnv, allowedAudience: HELPERS_AUDIENCE });
    stops.push(() => functions.stop());
    process.env.PUBLIC_BASE_URL = functions.url;

    const appSettings: Record<string, string> = {
      ...identity.env('logicApp'),
      WORKFLOWS_SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000000',
      WORKFLOWS_RESOURCE_GROUP_NAME: 'rg-thread-intents-local',
      WORKFLOWS_LOCATION_NAME: 'local',
      DEPLOYMENT_MODE: mode,
      HELPERS_BASE_URL: functions.url,
      HELPERS_AUDIENCE,
      GRAPH_BASE_URL: graph.url,
      ARM_ENDPOINT: automation.url,
      AUTOMATION_SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000000',
      AUTOMATION_RESOURCE_GROUP: 'rg-thread-intents-local',
      AUTOMATION_ACCOUNT: 'aa-thread-intents-local',
      O365_CONNECTION_RUNTIMEURL: outlook.connectionRuntimeUrl,
      O365_CONNECTION_KEY: office365Key,
      NOTIFICATION_EMAIL: options.notificationEmail ?? 'msp-alerts@fabrikam-msp.com',
      DEFAULT_USAGE_LOCATION: 'US',
      ...options.appSettings,
    };
    const runtime = await startRuntime({
      projectDir,
      dataDir: join(dataDir, 'runtime'),
      port: ports.runtime,
      appSettings,
      serviceProviders: [createAzureAutomationProvider()],
      timeScale,
    });
    stops.push(() => runtime.stop());
    // The ledger asks the runtime's management API whether the run holding a request is alive (in Azure the
    // same path through Resource Manager: infra/main.bicep sets it on the helpers).
    process.env.WORKFLOW_MANAGEMENT_BASE_URL = `${runtime.url}/runtime/webhooks/workflow/api/management`;

    const triggers = runtime.callbackUrls();
    const routerUrl = triggers[ROUTER_WORKFLOW] ?? runtime.triggerUrl(ROUTER_WORKFLOW);
    let mspHandle: LocalMsp | undefined;
    if (signIn && directory) {
      const customers = await registerLocalCustomers(azurite.connectionString, routerUrl, fixtures);
      mspHandle = {
        signIn,
        directory,
        customers,
        setCustomerStatus: (id, status) => setLocalCustomerStatus(azurite.connectionString, id, status),
      };
    }
    const webhook = mspHandle ? mspHandle.customers.contoso.webhook : routerUrl;
    return {
      mode,
      logicAppSettings: appSettings,
      endpoints: {
        webhook,
        ...(mspHandle ? { customers: { contoso: mspHandle.customers.contoso.webhook, fabrikam: mspHandle.customers.fabrikam.webhook } } : {}),
        triggers,
        runHistory: runtime.runHistoryUrl,
        runtime: runtime.url,
        functions: functions.url,
        graph: graph.url,
        automation: automation.url,
        outlook: outlook.url,
        identity: identity.url,
        ...(signIn ? { signIn: signIn.url } : {}),
        tables: azurite.tableUrl,
      },
      graph,
      automation,
      outlook,
      identity,
      ...(mspHandle ? { msp: mspHandle } : {}),
      runtime,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function verifiedDomains(f: { domains: Array<{ id: string; isVerified: boolean }> }): string[] {
  return f.domains.filter((d) => d.isVerified).map((d) => d.id);
}

function initialDomain(f: { tenantId: string; domains: Array<{ id: string; isVerified: boolean; isInitial: boolean }> }): string {
  const initial = f.domains.find((d) => d.isVerified && d.isInitial)?.id;
  if (!initial) throw new Error(`The local tenant ${f.tenantId} has no verified initial domain; its fixture needs one.`);
  return initial;
}

/** A random key kept in the data dir, so signed status URLs stay valid across `npm start` restarts. */
async function persistentKey(file: string): Promise<string> {
  const existing = await readFile(file, 'utf8').catch(() => '');
  if (existing.trim().length >= 32) return existing.trim();
  const key = randomBytes(32).toString('base64url');
  await writeFile(file, key + '\n', { mode: 0o600 });
  return key;
}
