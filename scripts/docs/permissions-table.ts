import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shippedManifest, type Grant, type PermissionsManifest } from '../../lib/permissions/manifest.js';
import { cell, readSection, sectionMarkers, withSection } from './readme-section.js';

/**
 * Renders infra/permissions.json as the README's permissions table, between
 * `<!-- permissions:start -->` and `<!-- permissions:end -->`. test/permissions/sources.test.ts fails when the
 * README and the manifest disagree; `UPDATE_README=1 npx vitest run test/permissions/sources.test.ts` (or
 * `node dist/scripts/docs/permissions-table.js --write` after `npm run build`) rewrites the README's table.
 * Only identities of a deployment mode are listed: an identity no mode deploys holds nothing in Azure.
 */
const MARKERS = sectionMarkers('permissions');
export const START_MARKER = MARKERS.start;
export const END_MARKER = MARKERS.end;

/** Deployment modes `npm run deploy` knows; an identity listed for none of them is granted by no command. */
const DEPLOYMENT_MODES = ['customer', 'msp'];

const KIND_LABEL: Record<Grant['kind'], string> = {
  appRole: 'application permission',
  directoryRole: 'Entra directory role',
  delegated: 'delegated connection',
};

function what(g: Grant): string {
  if (g.kind === 'directoryRole') return `**${g.value}** (${KIND_LABEL[g.kind]})`;
  return `**${g.value}** (${g.resource}, ${KIND_LABEL[g.kind]})`;
}

function docsLinks(g: Grant): string {
  return g.docs.map((url, i) => `[${i + 1}](${url})`).join(' ');
}

/** "a, b and c" */
function listed(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}

export function renderPermissionsTable(manifest: PermissionsManifest): string {
  const lines = [
    '| Identity | Holds | Why | Calls | Intents | Microsoft Learn |',
    '|---|---|---|---|---|---|',
  ];
  const deployed = manifest.identities.filter((i) => i.modes.some((m) => DEPLOYMENT_MODES.includes(m)));
  for (const identity of deployed) {
    const grants = manifest.grants.filter((g) => g.identity === identity.id);
    for (const g of grants) {
      lines.push(
        `| ${cell(identity.name)} | ${cell(what(g))} | ${cell(g.why)} | ${cell(g.calls.map((c) => `\`${c}\``).join(', '))} | ${cell(g.intents.join(', '))} | ${docsLinks(g)} |`,
      );
    }
  }
  const principals = deployed.map((i) => `**${i.name}**: ${i.principal}.`);
  const inMsp = deployed.filter((i) => i.modes.includes('msp') && manifest.grants.some((g) => g.identity === i.id && g.kind !== 'delegated'));
  const mspNote =
    `In msp mode the same calls run in each customer's tenant as the MSP's multi-tenant app registration, which holds ` +
    `the application permissions of ${listed(inMsp.map((i) => i.name))} there (granted by the customer's admin consent) ` +
    `and the same directory roles, assigned in the customer's tenant; \`npm run customer:add\` checks them ([docs/msp-mode.md](docs/msp-mode.md)).`;
  return [
    `Generated from [infra/permissions.json](infra/permissions.json) by \`scripts/docs/permissions-table.ts\`; \`npm run deploy\` grants exactly these, and the local stand-ins enforce them.`,
    '',
    ...lines,
    '',
    principals.join(' '),
    '',
    mspNote,
  ].join('\n');
}

/** README text with the table between the markers replaced; the markers must be there. */
export function withPermissionsTable(readme: string, table: string): string {
  return withSection(readme, MARKERS, table);
}

/** The table currently between the markers, or undefined when the markers are missing. */
export function readmePermissionsTable(readme: string): string | undefined {
  return readSection(readme, MARKERS);
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
