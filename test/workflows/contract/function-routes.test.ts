import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanFunctionRegistrations } from './function-routes.js';
import { matchingRoutes, pathAfterBase } from './route-match.js';

/** Route discovery from lib/functions source, on a throw-away folder. */
const root = mkdtempSync(join(tmpdir(), 'contract-routes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(file: string, text: string): void {
  mkdirSync(join(root, 'lib/functions'), { recursive: true });
  writeFileSync(join(root, 'lib/functions', file), text);
}

write('host.json', JSON.stringify({ version: '2.0', extensions: { http: { routePrefix: 'helpers' } } }));
write('index.ts', "export * from './plan.js';\nimport './health.js';\n");
write('plan.ts', "import { app } from '@azure/functions';\nexport const plan = { methods: ['POST' as const], route: 'intents/{intent}/plan', handler: async () => ({}) };\napp.http('plan', plan);\n");
write('health.ts', "import { app } from '@azure/functions';\napp.http('health', { route: 'health', handler: async () => ({}) });\napp.get('ping', { handler: async () => ({}) });\n");
write('orphan.ts', "import { app } from '@azure/functions';\nconst r = 'x';\napp.http('orphan', { methods: ['GET'], route: r, handler: async () => ({}) });\napp.post('lonely', { route: 'lonely', handler: async () => ({}) });\n");

describe('function registrations', () => {
  const scan = scanFunctionRegistrations(root);

  it('reads routes, methods (with the GET+POST default) and the route prefix', () => {
    expect(scan.routePrefix).toBe('helpers');
    expect(scan.routes.map((r) => `${r.methods.join('/')} ${r.route} (${r.file})`)).toEqual([
      'GET/POST health (lib/functions/health.ts)',
      'GET ping (lib/functions/health.ts)',
      'POST lonely (lib/functions/orphan.ts)',
      'POST intents/{intent}/plan (lib/functions/plan.ts)',
    ]);
  });

  it('reports non-literal routes and files index.ts does not load', () => {
    expect(scan.problems.map((p) => `${p.file} [${p.rule}] ${p.message}`)).toEqual([
      "lib/functions/orphan.ts [function-registration] 'orphan': route is not a string literal",
      "lib/functions/orphan.ts [functions-index] registers 'lonely' but lib/functions/index.ts does not load it, so the deployed helpers app would not serve it",
    ]);
  });

  it('matches workflow paths against templates under the prefix', () => {
    const path = pathAfterBase("@{parameters('helpersBaseUrl')}/helpers/intents/@{triggerBody()?['intent']}/plan", 'helpersBaseUrl');
    expect(path).toBeDefined();
    expect(matchingRoutes(path ?? '', 'post', scan.routePrefix, scan.routes).byPathAndMethod.map((r) => r.route)).toEqual(['intents/{intent}/plan']);
    expect(matchingRoutes('/api/health', 'GET', scan.routePrefix, scan.routes).byPath).toEqual([]);
    expect(pathAfterBase("@{parameters('graphBaseUrl')}/helpers/health", 'helpersBaseUrl')).toBeUndefined();
  });
});
