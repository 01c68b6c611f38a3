import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { deploy } from '../../scripts/deploy/main.js';

/**
 * A customer deployment against the recording stand-in for `az` (fake-az/): each test gets a temporary project
 * root (copies of infra/, runbooks/, workflows/; the repository's dist/ is never touched), a fake tenant in a
 * state file, and the log of every az call.
 */
export const REPO = resolve(import.meta.dirname, '..', '..');
export const FAKE_AZ_DIR = join(import.meta.dirname, 'fake-az');
export const WEBHOOK_SIG = 'fakeSig_9f8e7d6c5b4a3928171605f4e3d2c1b0';

export const BASE_ARGS = [
  '--resource-group', 'rg-thread-contoso',
  '--location', 'westeurope',
  '--customer', 'Contoso',
  '--notification-email', 'alerts@contoso.com',
  '--exchange-organization', 'contoso.onmicrosoft.com',
  '--yes',
];

/** An msp-mode deployment (issue 13): the MSP's own name, no --exchange-organization (it is per customer). */
export const MSP_ARGS = [
  '--resource-group', 'rg-thread-msp',
  '--location', 'westeurope',
  '--customer', 'Fabrikam MSP',
  '--base-name', 'fabrikammsp',
  '--notification-email', 'alerts@fabrikam-msp.example',
  '--mode', 'msp',
  '--yes',
];

interface Manifest {
  grants: Array<{ kind: string; resource?: string; resourceAppId?: string; value: string; id: string }>;
}

/** Microsoft Graph and Exchange Online as every tenant has them, with the app roles infra/permissions.json names. */
async function resourceServicePrincipals(): Promise<unknown[]> {
  const manifest = JSON.parse(await readFile(join(REPO, 'infra/permissions.json'), 'utf8')) as Manifest;
  const byApp = new Map<string, { id: string; appId: string; displayName: string; appRoles: Array<{ id: string; value: string }> }>();
  for (const g of manifest.grants) {
    if (g.kind !== 'appRole' || !g.resourceAppId) continue;
    const sp = byApp.get(g.resourceAppId) ?? { id: `sp-${g.resourceAppId}`, appId: g.resourceAppId, displayName: g.resource ?? g.resourceAppId, appRoles: [] };
    if (!sp.appRoles.some((r) => r.id === g.id)) sp.appRoles.push({ id: g.id, value: g.value });
    byApp.set(g.resourceAppId, sp);
  }
  return [...byApp.values()];
}

export interface FakeAzWorld {
  dir: string;
  root: string;
  statePath: string;
  logPath: string;
  state(): Promise<FakeState>;
  update(change: (state: FakeState) => void): Promise<void>;
  /** Every recorded az call (arguments after `az`), in order. */
  calls(): Promise<string[][]>;
  /** Forgets the recorded calls (between runs). */
  clearLog(): Promise<void>;
  deploy(args?: string[]): Promise<{ code: number; out: string[]; err: string[] }>;
  /** Runs the stand-in directly, as an admin typing an az command would (from the project root). */
  az(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  cleanup(): Promise<void>;
}

// The fake's state is plain JSON; tests read the parts they check.
export type FakeState = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function fakePack(root: string): Promise<void> {
  const functions = join(root, 'dist', 'functions');
  const logicapp = join(root, 'dist', 'logicapp');
  await rm(join(root, 'dist'), { recursive: true, force: true });
  await mkdir(functions, { recursive: true });
  await writeFile(join(functions, 'host.json'), '{"version":"2.0"}\n');
  await writeFile(join(functions, 'index.js'), 'export {};\n');
  await mkdir(logicapp, { recursive: true });
  await writeFile(join(logicapp, 'host.json'), '{"version":"2.0"}\n');
  for (const entry of await readdir(join(root, 'workflows'), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    await mkdir(join(logicapp, entry.name), { recursive: true });
    await cp(join(root, 'workflows', entry.name, 'workflow.json'), join(logicapp, entry.name, 'workflow.json'));
  }
}

export async function createWorld(): Promise<FakeAzWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'deploy-test-'));
  const root = join(dir, 'project');
  for (const folder of ['infra', 'runbooks', 'workflows']) await cp(join(REPO, folder), join(root, folder), { recursive: true });
  const runbookNames = (await readdir(join(root, 'runbooks'))).filter((f) => f.endsWith('.ps1')).map((f) => f.slice(0, -4)).sort();
  const statePath = join(dir, 'az-state.json');
  const logPath = join(dir, 'az-log.jsonl');
  const initial: FakeState = {
    loggedIn: true,
    user: { name: 'tech@msp.example', type: 'user' },
    subscription: { id: '11111111-2222-3333-4444-555555555555', name: 'Contoso production', tenantId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' },
    otherSubscriptions: [{ id: '99999999-2222-3333-4444-555555555555', name: 'Other tenant', tenantId: 'ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee' }],
    groups: {},
    apps: [],
    servicePrincipals: await resourceServicePrincipals(),
    resources: {},
    deployments: [],
    principals: {},
    sites: {},
    runbooks: {},
    runbookNames,
    webhookSig: WEBHOOK_SIG,
    failures: [],
  };
  await writeFile(statePath, JSON.stringify(initial, null, 2));
  await writeFile(logPath, '');
  const env = { ...process.env, PATH: `${FAKE_AZ_DIR}${delimiter}${process.env.PATH ?? ''}`, FAKE_AZ_STATE: statePath, FAKE_AZ_LOG: logPath };

  const world: FakeAzWorld = {
    dir,
    root,
    statePath,
    logPath,
    state: async () => JSON.parse(await readFile(statePath, 'utf8')) as FakeState,
    update: async (change) => {
      const state = JSON.parse(await readFile(statePath, 'utf8')) as FakeState;
      change(state);
      await writeFile(statePath, JSON.stringify(state, null, 2));
    },
    calls: async () =>
      (await readFile(logPath, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as string[]),
    clearLog: () => writeFile(logPath, ''),
    deploy: async (args = BASE_ARGS) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await deploy(args, {
        root,
        env,
        io: { out: (l) => out.push(l), confirm: () => Promise.reject(new Error('tests pass --yes')) },
        err: (l) => err.push(l),
        local: { pack: () => fakePack(root) },
        sleep: () => Promise.resolve(),
      });
      return { code, out, err };
    },
    az: (args) =>
      new Promise((done) => {
        execFile(join(FAKE_AZ_DIR, 'az'), args, { cwd: root, env }, (error, stdout, stderr) => {
          done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
        });
      }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
  return world;
}

/** The command words of a call: `az deployment group create …` → "deployment group create". */
export function commandOf(args: readonly string[]): string {
  const words: string[] = [];
  for (const a of args) {
    if (a.startsWith('-')) break;
    words.push(a);
  }
  return words.join(' ');
}

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
}

/**
 * Whether a call changes anything in Azure or Entra ID. Reads: show/list, `az rest` GETs, what-if, and
 * listCallbackUrl (a POST that returns the URL signed with the workflow's existing key and changes nothing:
 * https://learn.microsoft.com/rest/api/appservice/workflow-triggers/list-callback-url).
 */
export function isChange(args: readonly string[]): boolean {
  const command = commandOf(args);
  if (command === 'rest') {
    const method = (option(args, '--method') ?? 'get').toLowerCase();
    if (method === 'get') return false;
    return !(option(args, '--url') ?? '').includes('/listCallbackUrl?');
  }
  return !/ (show|list|what-if|query)$|^account show$/.test(command);
}

/** A short label per call for order assertions: "group create", "rest post …/publish". */
export function label(args: readonly string[]): string {
  const command = commandOf(args);
  if (command !== 'rest') return command;
  const url = new URL(option(args, '--url') ?? '');
  const tail = decodeURIComponent(url.pathname)
    .replace(/^.*\/automationAccounts\/[^/]+/, '<aa>')
    .replace(/^.*\/sites\/[^/]+\/hostruntime.*\/listCallbackUrl$/, '<logicApp>/…/listCallbackUrl')
    .replace(/^\/v1\.0\/servicePrincipals\/[^/]+/, '<sp>')
    .replace(/^\/v1\.0/, '');
  return `rest ${(option(args, '--method') ?? 'get').toLowerCase()} ${tail}`;
}
