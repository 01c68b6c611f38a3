import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INTENT_REGISTRY } from '../../../lib/intents/registry.js';
import { shippedManifest } from '../../../lib/permissions/manifest.js';
import {
  INTENTS_MARKERS,
  readmeIntentsTable,
  renderIntentsTable,
  sharedFolders,
  sharedHelperRoutes,
  testPaths,
  withIntentsTable,
} from '../../../scripts/docs/intents-table.js';
import { readSection, sectionMarkers, withSection } from '../../../scripts/docs/readme-section.js';

/**
 * The README's per-intent map is generated from lib/intents/registry.ts, lib/permissions and the tree
 * (scripts/docs/intents-table.ts). `UPDATE_README=1 npx vitest run test/scripts/docs/intents-table.test.ts`
 * rewrites it; otherwise this fails while the README is out of date.
 */
const generated = renderIntentsTable(shippedManifest(), process.cwd());
const rows = generated.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Intent |'));

describe('README per-intent table', () => {
  it('is the one generated from the registry and the permission tables', () => {
    const readme = readFileSync('README.md', 'utf8');
    if (process.env.UPDATE_README === '1') writeFileSync('README.md', withIntentsTable(readme, generated));
    const current = readmeIntentsTable(readFileSync('README.md', 'utf8'));
    expect(current, `README.md needs ${INTENTS_MARKERS.start} and ${INTENTS_MARKERS.end}`).toBeDefined();
    expect(current, 'README per-intent table out of date: run UPDATE_README=1 npx vitest run test/scripts/docs/intents-table.test.ts').toBe(generated);
  });

  it('has one row per registered intent, in registry order, with its workflow and folder', () => {
    expect(rows).toHaveLength(INTENT_REGISTRY.length);
    INTENT_REGISTRY.forEach((entry, i) => {
      expect(rows[i]).toMatch(new RegExp(`^\\| ${entry.names[0]} \\|`));
      expect(rows[i]).toContain(`\`workflows/${entry.workflow}/\``);
      expect(rows[i]).toContain(`\`lib/intents/${entry.id}/\``);
      expect(rows[i]).toContain(`\`/api/intents/${entry.id}/summary\``);
      for (const route of entry.helperRoutes) expect(rows[i]).toContain(`\`/api/${route}\``);
      for (const runbook of entry.runbooks) expect(rows[i]).toContain(`\`runbooks/${runbook}.ps1\``);
    });
  });

  it("names the aliases, the shared code and the permissions of the workflow's writes, the helpers' reads and the runbooks", () => {
    const offboarding = rows.find((r) => r.startsWith('| User Offboarding |'));
    expect(offboarding).toContain('"Disable Account", "User Offboarding / Disable Account"');
    const add = rows.find((r) => r.startsWith('| Add User to Group |'));
    expect(add).toContain('`lib/intents/shared/group-membership/`');
    expect(add).toContain('`test/workflows/group-membership.test.ts`');
    // https://learn.microsoft.com/graph/api/group-post-members: the Logic App holds Group.ReadWrite.All (infra/permissions.json).
    expect(add).toContain('writes (Logic App): Group.ReadWrite.All; look-ups (helpers): Directory.Read.All');
    // https://learn.microsoft.com/graph/api/user-update: an app sets passwords with User.ReadWrite.All and at least User Administrator.
    expect(rows.find((r) => r.startsWith('| Password Reset |'))).toContain('User.ReadWrite.All + User Administrator role');
    const mailbox = rows.find((r) => r.startsWith('| Shared Mailbox Permission |'));
    expect(mailbox).toContain('writes: none through Graph');
    // https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2: Exchange.ManageAsApp plus an Entra role.
    expect(mailbox).toContain('runbooks (Automation): Exchange.ManageAsApp, Exchange Recipient Administrator role');
    expect(rows.find((r) => r.startsWith('| MFA Reset |'))).not.toContain('runbooks (Automation)');
  });
});

describe('pieces read from the tree', () => {
  const root = mkdtempSync(join(tmpdir(), 'intents-table-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds the shared folder an entry point is built on, test files by name, and shared helper routes with expressions cut at *', () => {
    mkdirSync(join(root, 'lib/intents/demo'), { recursive: true });
    writeFileSync(join(root, 'lib/intents/demo/function.ts'), "import { handler } from '../shared/pair-work/function.js';\n");
    // Borrowing a type in another file does not make the intent one of the shared folder's.
    writeFileSync(join(root, 'lib/intents/demo/plan.ts'), "import type { T } from '../shared/other/plan-types.js';\n");
    mkdirSync(join(root, 'test/lib/intents/demo'), { recursive: true });
    mkdirSync(join(root, 'test/workflows'), { recursive: true });
    for (const f of ['demo.test.ts', 'demo-options.test.ts', 'pair-work.test.ts', 'demonstration.test.ts']) writeFileSync(join(root, 'test/workflows', f), '');
    mkdirSync(join(root, 'workflows/demo'), { recursive: true });
    const uri = (path: string) => `@{parameters('helpersBaseUrl')}/api/${path}`;
    writeFileSync(
      join(root, 'workflows/demo/workflow.json'),
      JSON.stringify({ a: uri('router/accept-dispatch'), b: uri("idempotency/@{body('S')?['record']}"), c: uri('intents/demo/plan') }),
    );

    const shared = sharedFolders(root, 'demo');
    expect(shared).toEqual(['pair-work']);
    const entry = { id: 'demo', names: ['Demo'] as [string], workflow: 'demo', helperRoutes: [], runbooks: [], graphActions: [], longRunning: () => false };
    expect(testPaths(root, entry, shared)).toEqual(['test/lib/intents/demo/', 'test/workflows/demo-options.test.ts', 'test/workflows/demo.test.ts', 'test/workflows/pair-work.test.ts']);
    expect(sharedHelperRoutes(root, 'demo')).toEqual(['/api/idempotency/*', '/api/router/accept-dispatch']);
  });
});

describe('generated README sections', () => {
  const markers = sectionMarkers('demo');

  it('replaces only the text between the markers', () => {
    const readme = `before\n${markers.start}\nold\n${markers.end}\nafter\n`;
    const updated = withSection(readme, markers, 'new');
    expect(updated).toBe(`before\n${markers.start}\nnew\n${markers.end}\nafter\n`);
    expect(readSection(updated, markers)).toBe('new');
  });

  it('refuses a README without the markers, naming them', () => {
    expect(readSection('no markers', markers)).toBeUndefined();
    expect(() => withSection(`${markers.end}\n${markers.start}`, markers, 'x')).toThrow('<!-- demo:start --> and <!-- demo:end -->');
  });
});
