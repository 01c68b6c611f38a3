import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { resolve } from 'node:path';
import { build } from 'esbuild';

const REPO = resolve(import.meta.dirname, '../../..');

/**
 * The runtime CLI bundled into a throwaway folder inside the repository (so the bundle still finds
 * better-sqlite3, a native module kept out of it, in node_modules). Returns the script and a cleanup.
 */
export async function bundleCli(): Promise<{ script: string; cleanup: () => Promise<void> }> {
  await mkdir(resolve(REPO, '.local'), { recursive: true });
  const dir = await mkdtemp(resolve(REPO, '.local/history-crash-'));
  const script = resolve(dir, 'cli.mjs');
  await build({
    entryPoints: [resolve(REPO, 'local/runtime/cli.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    external: ['better-sqlite3'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return { script, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface RuntimeProcess {
  child: ChildProcess;
  /** workflow name -> signed trigger URL, as the CLI printed them. */
  urls: Record<string, string>;
  /** Ends the process the way a crash or a pulled plug does: SIGKILL, no drain, no flush. */
  crash(): Promise<void>;
  /** Asks the process to stop as Ctrl-C / a service manager does (SIGTERM); resolves with the ms it took to exit. */
  terminate(): Promise<number>;
}

/** Starts the runtime CLI in its own process and waits for its banner. */
export async function spawnRuntime(script: string, projectDir: string, dataDir: string, env: Record<string, string>): Promise<RuntimeProcess> {
  const child = spawn(process.execPath, [script, projectDir, '--port', '0', '--data', dataDir], { stdio: 'pipe', env: { ...process.env, ...env } });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((res) => child.on('exit', () => res()));
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 600 && !out.includes('Press Ctrl-C'); i++) {
    if (gone) throw new Error(`The runtime exited before it started:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!out.includes('Press Ctrl-C')) throw new Error(`The runtime never printed its banner:\n${out}`);
  const urls: Record<string, string> = {};
  for (const m of out.matchAll(/^\s+([\w-]+): (http\S+)$/gm)) if (m[1] && m[2]) urls[m[1]] = m[2];
  return {
    child,
    urls,
    crash: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    terminate: async () => {
      const t0 = Date.now();
      child.kill('SIGTERM');
      await exited;
      return Date.now() - t0;
    },
  };
}

export interface StubCall {
  path: string;
  body: unknown;
}

/**
 * HTTP stub the fixture workflows call. GET /token answers at once; POST /slow is held (never
 * answered) while `hold` is true, and so is any call `holdWhen` picks, so a run is mid-action when the
 * runtime is killed, and answered after. Every call is counted, to prove which actions ran twice.
 */
export class SlowStub {
  readonly calls: StubCall[] = [];
  hold = true;
  /** Further calls to hold while `hold` is true (e.g. the third item of a loop). */
  holdWhen: (call: StubCall) => boolean = () => false;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private tokens = 0;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  count(path: string): number {
    return this.calls.filter((c) => c.path === path).length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const body: unknown = text ? JSON.parse(text) : undefined;
    const path = req.url ?? '';
    this.calls.push({ path, body });
    const send = (value: unknown): void => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (path === '/token') return send({ token: `tok-${++this.tokens}` });
    if (this.hold && (path === '/slow' || this.holdWhen({ path, body }))) return; // held until the runtime is killed
    send({ done: true, from: (body as { from?: unknown } | undefined)?.from ?? 'steps' });
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
