import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FaultRule, LatencyConfig } from './standins/graph/faults.js';
import { deploymentModeFromEnv, ROUTER_WORKFLOW, startLocalSystem, type LocalSystem } from './system.js';

/**
 * `npm start`: the whole system on this machine with the embedded defaults, printing the URLs a
 * technician needs and writing them to .local/endpoints.json for scripts. Only the router's trigger URL is
 * shown: child workflows are called by the router alone (a direct call would skip validation and the
 * idempotency ledger), so their signed URLs are not handed out, as in Azure where only listCallbackUrl gives them.
 * DEPLOYMENT_MODE=msp starts the MSP-hosted mode instead (issue 13): two customers, Contoso and Fabrikam, each
 * with its own webhook URL (the router's URL plus the customer's id and key).
 */
const DEFAULT_PORTS = { runtime: 7071, functions: 7072, graph: 7081, automation: 7082, outlook: 7083, identity: 7084, signIn: 7085, tables: 10002 };

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number between 0 and 65535 (got "${raw}").`);
  }
  return port;
}

/** A JSON setting, refused with a message naming it when it does not parse. */
function jsonFromEnv<T>(name: string, example: string): T | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    throw new Error(`${name} is not valid JSON (got "${raw}"). Example: ${name}='${example}'.`);
  }
}

function numberFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of milliseconds, 0 or more (got "${raw}").`);
  return value;
}

/** GRAPH_LATENCY_MS: "50" (fixed) or "20-200" (random within bounds). */
function graphLatency(): LatencyConfig | undefined {
  const raw = process.env.GRAPH_LATENCY_MS;
  if (raw === undefined || raw.trim() === '') return undefined;
  const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(raw);
  if (!m?.[1]) throw new Error(`GRAPH_LATENCY_MS must be milliseconds like "50" or a range like "20-200" (got "${raw}").`);
  return m[2] === undefined ? { fixedMs: Number(m[1]) } : { minMs: Number(m[1]), maxMs: Number(m[2]) };
}

async function main(): Promise<void> {
  const projectDir = resolve(process.env.PROJECT_DIR ?? process.cwd());
  const localDir = join(projectDir, '.local');
  await mkdir(localDir, { recursive: true });

  const system: LocalSystem = await startLocalSystem({
    mode: deploymentModeFromEnv(),
    projectDir,
    dataDir: join(localDir, 'data'),
    timeScale: Number(process.env.TIME_SCALE ?? '1'),
    notificationEmail: process.env.NOTIFICATION_EMAIL,
    jobLatencyMs: numberFromEnv('AUTOMATION_JOB_LATENCY_MS'),
    graph: {
      faults: jsonFromEnv<FaultRule[]>('GRAPH_FAULTS', '[{"path":"/users/*","status":429,"retryAfter":2,"probability":0.2}]'),
      latency: graphLatency(),
    },
    ports: {
      runtime: portFromEnv('RUNTIME_PORT', DEFAULT_PORTS.runtime),
      functions: portFromEnv('FUNCTIONS_PORT', DEFAULT_PORTS.functions),
      graph: portFromEnv('GRAPH_PORT', DEFAULT_PORTS.graph),
      automation: portFromEnv('AUTOMATION_PORT', DEFAULT_PORTS.automation),
      outlook: portFromEnv('OUTLOOK_PORT', DEFAULT_PORTS.outlook),
      identity: portFromEnv('IDENTITY_PORT', DEFAULT_PORTS.identity),
      signIn: portFromEnv('SIGNIN_PORT', DEFAULT_PORTS.signIn),
      tables: portFromEnv('TABLES_PORT', DEFAULT_PORTS.tables),
    },
  });

  const e = system.endpoints;
  const endpointsFile = join(localDir, 'endpoints.json');
  await writeFile(
    endpointsFile,
    JSON.stringify(
      {
        mode: system.mode,
        webhook: e.webhook,
        // msp mode: each customer's URL; `webhook` is Contoso's. The bare router URL is refused there, so it is not written.
        ...(e.customers ? { customers: e.customers } : { triggers: { [ROUTER_WORKFLOW]: e.webhook } }),
        runHistory: e.runHistory,
        runtime: e.runtime,
        functions: e.functions,
        graph: e.graph,
        automation: e.automation,
        outlook: e.outlook,
        identity: e.identity,
        ...(e.signIn ? { signIn: e.signIn } : {}),
        tables: e.tables,
      },
      null,
      2,
    ) + '\n',
  );

  // Local-only values (the stand-ins' URLs, the local identity header): `npm run designer` puts them into the
  // VS Code project's local.settings.json. Readable by this user only; .local/ is git-ignored.
  await writeFile(join(localDir, 'logicapp.settings.json'), JSON.stringify(system.logicAppSettings, null, 2) + '\n', { mode: 0o600 });

  const webhookLines = system.msp
    ? [
        `  msp mode (DEPLOYMENT_MODE=msp): one deployment for the MSP's customers. Each customer has its own webhook;`,
        `  a request through it acts only in that customer's tenant.`,
        ...Object.values(system.msp.customers).map((c) => `  ${`${c.displayName} webhook (paste into Thread):`.padEnd(38)}${c.webhook}`),
      ]
    : [`  Thread webhook (paste into Thread):  ${e.webhook}`];
  const lines = [
    '',
    'Thread intent runner is running locally.',
    '',
    ...webhookLines,
    `  Run history:                         ${e.runHistory}`,
    '',
    '  Local stand-ins:',
    `    Microsoft Graph        ${e.graph}   (admin: ${e.graph}/_admin/${system.msp ? 'tenants' : 'tenant'})`,
    `    Azure Automation       ${e.automation}`,
    `    Office 365 Outlook     ${e.outlook}   (sent mail: ${e.outlook}/_admin/outbox)`,
    `    Managed identity       ${e.identity}`,
    ...(e.signIn ? [`    Entra sign-in          ${e.signIn}   (tenants and consent: ${e.signIn}/_admin/directory)`] : []),
    `    Table Storage          ${e.tables}`,
    `    Helper functions       ${e.functions}/api`,
    '',
    `  Endpoints written to ${endpointsFile}`,
    '  Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping...\n`);
    // A GRAPH_FAULTS rule that never matched usually has the wrong path; say so instead of staying silent.
    for (const { message } of system.graph.unmatchedRules()) process.stderr.write(`Warning: ${message}\n`);
    system
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        process.stderr.write(`Error while stopping: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  // Configuration problems (missing app setting, invalid workflow) arrive here with messages that say what to fix.
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`\nCould not start the local system:\n${message}\n`);
  process.exit(1);
});
