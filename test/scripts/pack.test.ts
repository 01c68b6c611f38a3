import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeValue } from '../../local/runtime/expressions/index.js';
import { builtinServiceProviders } from '../../local/runtime/connectors/index.js';
import { loadProject } from '../../local/runtime/project/index.js';
import { scanFunctionRegistrations } from '../workflows/contract/function-routes.js';
import { workflowFolders } from '../workflows/contract/project.js';

/**
 * `npm run pack` on a temporary copy of the project (the repository's dist/ is never touched):
 * scripts/pack.ts is bundled with esbuild and run with node, then both packages are checked the way
 * Azure will use them. dist/logicapp must load in our own Logic Apps runtime as-is, and the helpers
 * bundle must import outside the Functions worker without crashing.
 */
const run = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const COPIED = ['workflows', 'lib', 'host.json', 'connections.json', 'parameters.json', 'parameters.azure.json', 'package.json'];

let work: string;
let logicApp: string;
let functions: string;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pack-test-'));
  for (const entry of COPIED) {
    if (await exists(join(repo, entry))) await cp(join(repo, entry), join(work, entry), { recursive: true });
  }
  await symlink(join(repo, 'node_modules'), join(work, 'node_modules'), 'dir');
  // Inside the copy, so `import 'esbuild'` in the bundled script resolves through the node_modules link.
  const script = join(work, '.pack-script', 'pack.mjs');
  await mkdir(join(work, '.pack-script'));
  await build({ entryPoints: [join(repo, 'scripts/pack.ts')], outfile: script, bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' });
  await run(process.execPath, [script, work], { cwd: work });
  logicApp = join(work, 'dist', 'logicapp');
  functions = join(work, 'dist', 'functions');
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('dist/logicapp', () => {
  it('has the app files and one folder per workflow at the root, no workflows/ folder', async () => {
    for (const file of ['host.json', 'connections.json', 'parameters.json']) expect(await exists(join(logicApp, file)), file).toBe(true);
    expect(await exists(join(logicApp, 'workflows'))).toBe(false);
    const folders = (await readdir(logicApp, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    const expected = workflowFolders(work);
    expect(expected.length).toBeGreaterThan(0);
    expect(folders).toEqual(expected);
    for (const name of expected) {
      // Against the copy that was packed: the repository's files may change while the test runs.
      expect(await readFile(join(logicApp, name, 'workflow.json'), 'utf8'), name).toBe(await readFile(join(work, 'workflows', name, 'workflow.json'), 'utf8'));
    }
  });

  it('deploys parameters.azure.json as parameters.json when there is one', async () => {
    const source = (await exists(join(work, 'parameters.azure.json'))) ? 'parameters.azure.json' : 'parameters.json';
    expect(await readJson(join(logicApp, 'parameters.json'))).toEqual(await readJson(join(work, source)));
  });

  it('loads as-is in the local Logic Apps runtime', async () => {
    const refs = analyzeValue([await readJson(join(logicApp, 'parameters.json')), await readJson(join(logicApp, 'connections.json'))]);
    expect(refs.appsettingRefs.length).toBeGreaterThan(0);
    const appSettings = Object.fromEntries(refs.appsettingRefs.map((name) => [name, `https://${name.toLowerCase().replace(/_/g, '-')}.example.invalid`]));
    const project = await loadProject(logicApp, { appSettings, serviceProviders: builtinServiceProviders() });
    expect(project.workflowsDir).toBe(logicApp);
    expect([...project.workflows.keys()].sort()).toEqual(workflowFolders(work));
  });
});

describe('dist/functions', () => {
  it('has index.js, host.json and a package.json whose main is index.js', async () => {
    expect(await exists(join(functions, 'index.js'))).toBe(true);
    expect(await readJson(join(functions, 'host.json'))).toEqual(await readJson(join(work, 'lib/functions/host.json')));
    const pkg = (await readJson(join(functions, 'package.json'))) as { main?: unknown; type?: unknown };
    expect(pkg.main).toBe('index.js');
    expect(pkg.type).toBe('module');
  });

  it('imports outside the Functions worker without crashing and exports every route index.ts loads', async () => {
    // A copy away from the project: the package ships without node_modules, so the bundle must not
    // lean on anything the project's node_modules would otherwise supply.
    const isolated = await mkdtemp(join(tmpdir(), 'pack-functions-'));
    let stdout: string;
    try {
      await cp(functions, isolated, { recursive: true });
      const probe = `const m = await import(${JSON.stringify(pathToFileURL(join(isolated, 'index.js')).href)});
const routes = Object.values(m).filter((v) => v && typeof v === 'object' && typeof v.handler === 'function').map((v) => v.route);
process.stdout.write('ROUTES' + JSON.stringify(routes.sort()));`;
      ({ stdout } = await run(process.execPath, ['--input-type=module', '-e', probe], { cwd: isolated }));
    } finally {
      await rm(isolated, { recursive: true, force: true });
    }
    const exported = JSON.parse(stdout.slice(stdout.indexOf('ROUTES') + 'ROUTES'.length)) as string[];
    const scan = scanFunctionRegistrations(work);
    const notLoaded = new Set(scan.problems.filter((p) => p.rule === 'functions-index').map((p) => p.file));
    const loaded = scan.routes.filter((r) => !notLoaded.has(r.file)).map((r) => r.route);
    expect(loaded.length).toBeGreaterThan(0);
    expect(exported).toEqual(expect.arrayContaining(loaded));
  });
});
