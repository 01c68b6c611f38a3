import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { graphPermissionsOf } from '../../lib/intents/graph-permissions.js';
import { INTENT_REGISTRY, type IntentEntry } from '../../lib/intents/registry.js';
import { summaryFor } from '../../lib/intents/summary-registry.js';
import { shippedManifest, type PermissionsManifest } from '../../lib/permissions/manifest.js';
import { cell, readSection, sectionMarkers, withSection } from './readme-section.js';

/**
 * Renders the README's per-intent map (between `<!-- intents:start -->` and `<!-- intents:end -->`): for every
 * intent of lib/intents/registry.ts, its names, workflow, helper routes, code folders, runbooks, test files
 * and permissions. Graph permissions come from lib/permissions/graph-calls.ts (the workflow's Graph
 * writes, through lib/intents/graph-permissions.ts) and infra/permissions.json (the helpers' look-ups, and the
 * Automation account's Exchange grants for the runbooks).
 * Folders and test files are read from the tree, so the table names only what exists.
 * test/scripts/docs/intents-table.test.ts fails when the README is out of date;
 * `UPDATE_README=1 npx vitest run test/scripts/docs/intents-table.test.ts` rewrites it.
 */
export const INTENTS_MARKERS = sectionMarkers('intents');

const code = (text: string): string => `\`${text}\``;

/**
 * `lib/intents/shared/<name>/` folders an intent is built on: those its entry point (function.ts) imports, as Add
 * and Remove User to Group share group-membership's handler. Intents that only borrow a piece of shared code
 * (a type, a parser) are not listed under it.
 */
export function sharedFolders(root: string, id: string): string[] {
  const file = join(root, 'lib', 'intents', id, 'function.ts');
  if (!existsSync(file)) return [];
  const found = new Set<string>();
  for (const m of readFileSync(file, 'utf8').matchAll(/from '\.\.\/shared\/([a-z0-9-]+)\//g)) if (m[1]) found.add(m[1]);
  return [...found].sort();
}

/** Test files and folders of one intent that exist: unit tests per folder, workflow integration tests by name. */
export function testPaths(root: string, entry: IntentEntry, shared: readonly string[]): string[] {
  const out: string[] = [];
  for (const folder of [entry.id, ...shared.map((s) => `shared/${s}`)]) {
    if (existsSync(join(root, 'test', 'lib', 'intents', folder))) out.push(`test/lib/intents/${folder}/`);
  }
  const workflowTests = join(root, 'test', 'workflows');
  const stems = [entry.workflow, ...shared];
  if (existsSync(workflowTests)) {
    const files = readdirSync(workflowTests)
      .filter((f) => stems.some((stem) => f === `${stem}.test.ts` || (f.startsWith(`${stem}-`) && f.endsWith('.test.ts'))))
      .sort();
    out.push(...files.map((f) => `test/workflows/${f}`));
  }
  return out;
}

/** What one identity of infra/permissions.json holds for one intent: application permissions, then "<role> role". */
function grantsFor(manifest: PermissionsManifest, identity: 'helpers' | 'automation', id: string): string[] {
  const grants = manifest.grants.filter((g) => g.identity === identity && (g.intents as readonly string[]).includes(id));
  const permissions = grants.filter((g) => g.kind === 'appRole').map((g) => g.value).sort();
  const roles = grants.filter((g) => g.kind === 'directoryRole').map((g) => `${g.value} role`).sort();
  return [...permissions, ...roles];
}

function permissionsCell(manifest: PermissionsManifest, id: string): string {
  const writes = graphPermissionsOf(id);
  const parts: string[] = [];
  if (writes.permissions.length > 0) {
    const roles = writes.roles.map((r) => ` + ${r} role`).join('');
    parts.push(`writes (Logic App): ${writes.permissions.join(', ')}${roles}`);
  } else {
    parts.push('writes: none through Graph');
  }
  const reads = grantsFor(manifest, 'helpers', id);
  if (reads.length > 0) parts.push(`look-ups (helpers): ${reads.join(', ')}`);
  const exchange = grantsFor(manifest, 'automation', id);
  if (exchange.length > 0) parts.push(`runbooks (Automation): ${exchange.join(', ')}`);
  return parts.join('; ');
}

function helperRoutes(entry: IntentEntry): string[] {
  const routes = [...entry.helperRoutes];
  // The outcome summary is one generic route (lib/functions/intent-summary.ts) serving every intent that has a summary.
  if (summaryFor(entry.id)) routes.push(`intents/${entry.id}/summary`);
  return routes.map((r) => `/api/${r}`);
}

/**
 * Helper routes a workflow's Http actions call that are not one intent's own (`/api/intents/...`), e.g. the
 * ledger and the dispatch check; a route built by an expression shows as `*` from the expression on.
 */
export function sharedHelperRoutes(root: string, workflow: string): string[] {
  const file = join(root, 'workflows', workflow, 'workflow.json');
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const routes = new Set<string>();
  for (const m of text.matchAll(/parameters\('helpersBaseUrl'\)\}\/api\/([^"?]*)/g)) {
    const route = (m[1] ?? '').replace(/@\{.*$/, '*');
    if (route !== '' && !route.startsWith('intents/')) routes.add(`/api/${route}`);
  }
  return [...routes].sort();
}

export function renderIntentsTable(manifest: PermissionsManifest = shippedManifest(), root: string = process.cwd()): string {
  const lines = [
    '| Intent | Also accepted as | Workflow | Helper routes | Code | Runbooks | Tests | Permissions (Graph, Exchange) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const entry of INTENT_REGISTRY as readonly IntentEntry[]) {
    const shared = sharedFolders(root, entry.id);
    const aliases = entry.names.slice(1);
    const folders = [`lib/intents/${entry.id}/`, ...shared.map((s) => `lib/intents/shared/${s}/`)];
    const runbooks = entry.runbooks.map((r) => `runbooks/${r}.ps1`);
    const row = [
      cell(entry.names[0]),
      aliases.length > 0 ? cell(aliases.map((a) => `"${a}"`).join(', ')) : '–',
      code(`workflows/${entry.workflow}/`),
      helperRoutes(entry).map(code).join('<br>'),
      folders.map(code).join('<br>'),
      runbooks.length > 0 ? runbooks.map(code).join('<br>') : '–',
      testPaths(root, entry, shared).map(code).join('<br>'),
      cell(permissionsCell(manifest, entry.id)),
    ];
    lines.push(`| ${row.join(' | ')} |`);
  }
  const router = sharedHelperRoutes(root, 'thread-webhook');
  const children = [...new Set(INTENT_REGISTRY.flatMap((e) => sharedHelperRoutes(root, e.workflow)))].sort();
  return [
    'Generated from [lib/intents/registry.ts](lib/intents/registry.ts), [lib/permissions/graph-calls.ts](lib/permissions/graph-calls.ts), ' +
      '[infra/permissions.json](infra/permissions.json) and the workflows by `scripts/docs/intents-table.ts`. Helper routes are under ' +
      `\`HELPERS_BASE_URL\`. Besides an intent's own routes, the router calls ${router.map(code).join(', ')} for every intent, ` +
      `and the child workflows call ${children.map(code).join(', ')}.`,
    '',
    ...lines,
  ].join('\n');
}

/** README text with the per-intent map replaced; the markers must be there. */
export function withIntentsTable(readme: string, table: string): string {
  return withSection(readme, INTENTS_MARKERS, table);
}

/** The per-intent map currently in the README, or undefined when the markers are missing. */
export function readmeIntentsTable(readme: string): string | undefined {
  return readSection(readme, INTENTS_MARKERS);
}

async function main(): Promise<void> {
  // Run from the repository root (as npm scripts are).
  const readmePath = resolve(process.env.README_PATH ?? 'README.md');
  const table = renderIntentsTable(shippedManifest(), process.cwd());
  if (!process.argv.includes('--write')) {
    process.stdout.write(`${table}\n`);
    return;
  }
  const readme = await readFile(readmePath, 'utf8');
  await writeFile(readmePath, withIntentsTable(readme, table));
  process.stdout.write(`Updated the per-intent table in ${readmePath}.\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
