import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../scripts/deploy/manifest.js';
import { readmePermissionsTable, renderPermissionsTable, withPermissionsTable } from '../../scripts/docs/permissions-table.js';
import { GRAPH_APP_ROLES } from '../../local/standins/identity/index.js';
import { appRolesOf, shippedManifest } from '../../lib/permissions/manifest.js';

/**
 * One manifest, every reader: the deploy's grant step, the README table and the local stand-ins all read
 * infra/permissions.json; these tests fail when one of them disagrees. (The stand-ins' enforcement of it is
 * shown end to end in grants.integration.test.ts.)
 * `UPDATE_README=1 npx vitest run test/permissions/sources.test.ts` rewrites the README table.
 */
const manifest = shippedManifest();
const key = (g: { identity: string; kind: string; value: string; id: string }) => `${g.identity}|${g.kind}|${g.value}|${g.id}`;

describe('readers of infra/permissions.json', () => {
  it('the deploy grants exactly the manifest (scripts/deploy/manifest.ts reads the same file)', async () => {
    const deploy = await loadManifest(process.cwd());
    expect(deploy.grants.map(key).sort()).toEqual(manifest.grants.map(key).sort());
    expect(deploy.identities.map((i) => i.id).sort()).toEqual(manifest.identities.map((i) => i.id).sort());
  });

  it("README.md's permissions table is the one generated from the manifest", () => {
    const readme = readFileSync('README.md', 'utf8');
    const generated = renderPermissionsTable(manifest);
    if (process.env.UPDATE_README === '1') writeFileSync('README.md', withPermissionsTable(readme, generated));
    const current = readmePermissionsTable(readFileSync('README.md', 'utf8'));
    expect(current, 'README.md needs <!-- permissions:start --> and <!-- permissions:end -->').toBeDefined();
    expect(current, 'README table out of date: run UPDATE_README=1 npx vitest run test/permissions/sources.test.ts').toBe(generated);
  });

  it("the identity stand-in's default Graph roles are the Logic App's and the helpers' grants together", () => {
    expect([...GRAPH_APP_ROLES].sort()).toEqual([...new Set([...appRolesOf(manifest, 'logicApp'), ...appRolesOf(manifest, 'helpers')])].sort());
  });
});
