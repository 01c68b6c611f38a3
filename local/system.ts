import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { startRuntime, type RuntimeHandle } from './runtime/index.js';
import { createAzureAutomationProvider } from './runtime/connectors/azure-automation.js';
import { startGraphStandIn } from './standins/graph/index.js';
import type { FaultRule, LatencyConfig } from './standins/graph/faults.js';
import { startIdentityStandIn, type IdentityStandIn } from './standins/identity/index.js';
import { startAutomationStandIn } from './standins/automation/index.js';
import { startOutlookStandIn } from './standins/outlook/index.js';
import { startAzurite } from './standins/azurite.js';
import { startFunctionsHost } from './functions-host/index.js';
import { appRolesOf, directoryRolesOf, EXCHANGE_APP_ID, shippedManifest, type PermissionsManifest } from '../lib/permissions/manifest.js';

/**
 * The whole system on one machine: every stand-in, the helper functions and the Logic Apps runtime,
 * wired with the same app settings names as in Azure. `npm start` and the integration tests both use it,
 * so what the tests exercise is what a technician runs.
 */
export interface LocalSystemOptions {
  /** Where run history, SAS keys and Azurite data live. Default: a fresh temp folder. */
  dataDir?: string;
  /** The Logic Apps project to run. Default: this repository. */
  projectDir?: string;
  /** Scales waits (retry intervals, Retry-After, Wait actions, job latency); 1 = real time. */
  timeScale?: number;
  /** Fixed ports for `npm start`; tests leave them out (free ports). */
  ports?: Partial<Record<'runtime' | 'functions' | 'graph' | 'automation' | 'outlook' | 'identity' | 'tables', number>>;
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
  /** Signed URL of the router's Request trigger: what an MSP pastes into Thread. */
  webhook: string;
  triggers: Record<string, string>;
  runHistory: string;
  runtime: string;
  functions: string;
  graph: string;
  automation: string;
  outlook: string;
  identity: string;
  tables: string;
}

export type GraphStandIn = Awaited<ReturnType<typeof startGraphStandIn>>;
export type AutomationStandIn = Awaited<ReturnType<typeof startAutomationStandIn>>;
export type OutlookStandIn = Awaited<ReturnType<typeof startOutlookStandIn>>;

export interface LocalSystem {
  endpoints: LocalEndpoints;
  graph: GraphStandIn;
  automation: AutomationStandIn;
  outlook: OutlookStandIn;
  identity: IdentityStandIn;
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

export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
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
    const graph = await startGraphStandIn({
      port: ports.graph,
      ...options.graph,
      permissions: {
        manifest,
        principals: { [LOCAL_IDENTITIES.logicApp.objectId]: 'logicApp', [LOCAL_IDENTITIES.helpers.objectId]: 'helpers' },
      },
    });
    stops.push(() => graph.stop());
    const automation = await startAutomationStandIn({
      port: ports.automation,
      // One tenant: a runbook's change to a DL or mailbox shows through Graph (docs/exchange-stand-in.md).
      tenant: graph.tenantState,
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
      GRAPH_AUTH_MODE: 'managed-identity',
      TABLES_CONNECTION_STRING: azurite.connectionString,
      ALLOWED_CALLER_OBJECT_IDS: LOCAL_WORKLOAD_OBJECT_ID,
      DEFAULT_USAGE_LOCATION: 'US',
      STATUS_URL_SIGNING_KEY: await persistentKey(join(dataDir, 'status-url-signing-key')),
    };
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

    const triggers = runtime.callbackUrls();
    const webhook = triggers[ROUTER_WORKFLOW] ?? runtime.triggerUrl(ROUTER_WORKFLOW);
    return {
      logicAppSettings: appSettings,
      endpoints: {
        webhook,
        triggers,
        runHistory: runtime.runHistoryUrl,
        runtime: runtime.url,
        functions: functions.url,
        graph: graph.url,
        automation: automation.url,
        outlook: outlook.url,
        identity: identity.url,
        tables: azurite.tableUrl,
      },
      graph,
      automation,
      outlook,
      identity,
      runtime,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** A random key kept in the data dir, so signed status URLs stay valid across `npm start` restarts. */
async function persistentKey(file: string): Promise<string> {
  const existing = await readFile(file, 'utf8').catch(() => '');
  if (existing.trim().length >= 32) return existing.trim();
  const key = randomBytes(32).toString('base64url');
  await writeFile(file, key + '\n', { mode: 0o600 });
  return key;
}
