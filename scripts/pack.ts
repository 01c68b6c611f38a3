import { cp, mkdir, readdir, rm, stat, writeFile, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

/**
 * `npm run pack`: lays out the two deployable packages.
 *
 * - dist/logicapp: a Logic Apps Standard app root. Azure finds workflows only at <root>/<name>/workflow.json,
 *   so the folders under workflows/ move up a level; parameters.azure.json becomes parameters.json.
 * - dist/functions: the helpers bundled into one ESM file with a production package.json and host.json.
 */
const root = resolve(process.argv[2] ?? process.cwd());
const out = join(root, 'dist');

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function packLogicApp(): Promise<string> {
  const target = join(out, 'logicapp');
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  for (const file of ['host.json', 'connections.json']) {
    await cp(join(root, file), join(target, file));
  }
  const azureParameters = join(root, 'parameters.azure.json');
  await cp((await exists(azureParameters)) ? azureParameters : join(root, 'parameters.json'), join(target, 'parameters.json'));
  const workflowsDir = join(root, 'workflows');
  for (const entry of await readdir(workflowsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const source = join(workflowsDir, entry.name, 'workflow.json');
    if (!(await exists(source))) continue;
    await mkdir(join(target, entry.name), { recursive: true });
    await cp(source, join(target, entry.name, 'workflow.json'));
  }
  await writeFile(join(target, '.funcignore'), ['.debug', '.git*', '.vscode', 'local.settings.json', 'test', ''].join('\n'));
  return target;
}

async function packFunctions(): Promise<string> {
  const target = join(out, 'functions');
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  await build({
    entryPoints: [join(root, 'lib/functions/index.ts')],
    outdir: target,
    entryNames: 'index',
    // Splitting keeps rarely used code (App Insights, Key Vault) in chunks loaded on first use: faster cold start.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: true,
    // The Functions worker provides this module at run time.
    external: ['@azure/functions-core'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  await writeFile(
    join(target, 'package.json'),
    JSON.stringify({ name: `${pkg.name}-helpers`, version: pkg.version, type: 'module', main: 'index.js' }, null, 2) + '\n',
  );
  await cp(join(root, 'lib/functions/host.json'), join(target, 'host.json'));
  return target;
}

async function main(): Promise<void> {
  const logicApp = await packLogicApp();
  const functions = await packFunctions();
  process.stdout.write(`Packed:\n  ${logicApp}\n  ${functions}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`pack failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
