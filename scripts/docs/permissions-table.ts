import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shippedManifest, type Grant, type PermissionsManifest } from '../../lib/permissions/manifest.js';

/**
 * Renders infra/permissions.json as the README's permissions table, between
 * `<!-- permissions:start -->` and `<!-- permissions:end -->`. test/permissions/readme.test.ts fails when the
 * README and the manifest disagree; `node dist/scripts/docs/permissions-table.js --write` (after
 * `npm run build`) rewrites the README's table.
 */
export const START_MARKER = '<!-- permissions:start -->';
export const END_MARKER = '<!-- permissions:end -->';

const KIND_LABEL: Record<Grant['kind'], string> = {
  appRole: 'application permission',
  directoryRole: 'Entra directory role',
  delegated: 'delegated connection',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

function what(g: Grant): string {
  if (g.kind === 'directoryRole') return `**${g.value}** (${KIND_LABEL[g.kind]})`;
  return `**${g.value}** (${g.resource}, ${KIND_LABEL[g.kind]})`;
}

function docsLinks(g: Grant): string {
  return g.docs.map((url, i) => `[${i + 1}](${url})`).join(' ');
}

export function renderPermissionsTable(manifest: PermissionsManifest): string {
  const lines = [
    '| Identity | Holds | Why | Calls | Intents | Microsoft Learn |',
    '|---|---|---|---|---|---|',
  ];
  for (const identity of manifest.identities) {
    const grants = manifest.grants.filter((g) => g.identity === identity.id);
    for (const g of grants) {
      lines.push(
        `| ${cell(identity.name)} | ${cell(what(g))} | ${cell(g.why)} | ${cell(g.calls.map((c) => `\`${c}\``).join(', '))} | ${cell(g.intents.join(', '))} | ${docsLinks(g)} |`,
      );
    }
  }
  const principals = manifest.identities.map((i) => `**${i.name}**: ${i.principal}${i.modes.includes('app-registration') ? ' (only with `GRAPH_AUTH_MODE` set)' : ''}.`);
  return [
    `Generated from [infra/permissions.json](infra/permissions.json) by \`scripts/docs/permissions-table.ts\`; \`npm run deploy\` grants exactly these, and the local stand-ins enforce them.`,
    '',
    ...lines,
    '',
    principals.join(' '),
  ].join('\n');
}

/** README text with the table between the markers replaced; the markers must be there. */
export function withPermissionsTable(readme: string, table: string): string {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start === -1 || end === -1 || end < start) throw new Error(`README.md needs ${START_MARKER} and ${END_MARKER} (in this order).`);
  return `${readme.slice(0, start + START_MARKER.length)}\n${table}\n${readme.slice(end)}`;
}

/** The table currently between the markers, or undefined when the markers are missing. */
export function readmePermissionsTable(readme: string): string | undefined {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start === -1 || end === -1 || end < start) return undefined;
  return readme.slice(start + START_MARKER.length, end).trim();
}

async function main(): Promise<void> {
  // Run from the repository root (as npm scripts are).
  const readmePath = resolve(process.env.README_PATH ?? 'README.md');
  const table = renderPermissionsTable(shippedManifest());
  if (!process.argv.includes('--write')) {
    process.stdout.write(`${table}\n`);
    return;
  }
  const readme = await readFile(readmePath, 'utf8');
  await writeFile(readmePath, withPermissionsTable(readme, table));
  process.stdout.write(`Updated the permissions table in ${readmePath}.\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
