import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryHistoryStore } from '../../../local/runtime/history/index.js';
import type { HistoryStore } from '../../../local/runtime/model.js';
import { startRuntimeServer, type RuntimeServer } from '../../../local/runtime/server/index.js';
import { FakeEngine } from './fake-engine.js';

export interface Harness {
  server: RuntimeServer;
  engine: FakeEngine;
  history: HistoryStore;
  dataDir: string;
  /** Absolute URL of a management API path. */
  mgmt(path: string): string;
}

export async function startFakeRuntime(opts: { dataDir?: string; maxBodyBytes?: number } = {}): Promise<Harness> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'runtime-server-')));
  const history = createMemoryHistoryStore();
  let base = '';
  const engine = new FakeEngine(history, () => base);
  const server = await startRuntimeServer({ engine, history, dataDir, port: 0, maxBodyBytes: opts.maxBodyBytes });
  base = server.url;
  return { server, engine, history, dataDir, mgmt: (path) => `${server.url}/runtime/webhooks/workflow/api/management${path}` };
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}
