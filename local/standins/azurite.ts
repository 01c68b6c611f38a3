import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/**
 * Starts Azurite's Table service (the azurite npm package) as a child process on 127.0.0.1, in a
 * temporary workspace folder that is removed on stop. Loose mode and no API-version check so any
 * @azure/data-tables version works; telemetry off so nothing leaves the machine.
 */

export interface AzuriteOptions {
  /** Fixed port; a free one by default. */
  port?: number;
  /** Workspace folder to keep (not removed on stop); a temporary folder by default. */
  location?: string;
  /** How long to wait for Azurite to listen. */
  startTimeoutMs?: number;
}

export interface AzuriteTables {
  /** Table endpoint including the account, e.g. http://127.0.0.1:10002/devstoreaccount1. */
  tableUrl: string;
  /** Works with TableClient.fromConnectionString(conn, table, { allowInsecureConnection: true }). */
  connectionString: string;
  port: number;
  /** Workspace folder Azurite persists to. */
  location: string;
  stop(): Promise<void>;
}

/** Azurite's fixed development account (public, documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

function waitForListening(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => done(new Error(`Azurite did not start within ${timeoutMs} ms: ${output.slice(-500)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (/successfully (started|listening)/i.test(output)) done();
    };
    const onExit = (code: number | null) => done(new Error(`Azurite exited with code ${code}: ${output.slice(-500)}`));
    function done(err?: Error): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve();
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startAzurite(opts: AzuriteOptions = {}): Promise<AzuriteTables> {
  const main = createRequire(import.meta.url).resolve('azurite/dist/src/table/main.js');
  const location = opts.location ?? (await mkdtemp(join(tmpdir(), 'azurite-table-')));
  // Port 0 means "any free port", as for the other stand-ins; Azurite itself needs a concrete number.
  const port = opts.port ? opts.port : await freePort();
  const child = spawn(
    process.execPath,
    [main, '--tableHost', '127.0.0.1', '--tablePort', String(port), '--location', location, '--loose', '--skipApiVersionCheck', '--disableTelemetry', '--silent'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const cleanup = async () => {
    await stopChild(child);
    if (!opts.location) await rm(location, { recursive: true, force: true });
  };
  try {
    await waitForListening(child, opts.startTimeoutMs ?? 30_000);
  } catch (err) {
    await cleanup();
    throw err;
  }
  // Keep draining the pipes so a chatty Azurite never blocks on a full buffer.
  child.stdout?.resume();
  child.stderr?.resume();
  const tableUrl = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  return {
    tableUrl,
    port,
    location,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};TableEndpoint=${tableUrl};`,
    stop: cleanup,
  };
}
