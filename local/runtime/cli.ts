#!/usr/bin/env node
/**
 * Runs any Logic Apps Standard project folder locally:
 *   node dist/local/runtime/cli.js <projectDir> [--port 7071] [--host 127.0.0.1] [--data <dir>]
 * Prints each Request trigger's signed URL and the run-history page; Ctrl-C stops cleanly.
 */
import { join, resolve } from 'node:path';
import { startRuntime } from './index.js';

interface CliOptions {
  projectDir: string;
  dataDir: string;
  port: number;
  host: string;
}

class CliUsageError extends Error {}

const USAGE = 'usage: node dist/local/runtime/cli.js <projectDir> [--port 7071] [--host 127.0.0.1] [--data <dir>]';

/** Parses the runtime CLI's arguments (`--name value` or `--name=value`). */
function parseCliArgs(argv: readonly string[]): CliOptions {
  let projectDir: string | undefined;
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (!['port', 'data', 'host'].includes(name)) throw new CliUsageError(`Unknown option --${name}.`);
      if (value === undefined || value === '') throw new CliUsageError(`Option --${name} needs a value.`);
      flags[name] = value;
    } else if (projectDir === undefined) {
      projectDir = arg;
    } else {
      throw new CliUsageError(`Unexpected argument '${arg}'.`);
    }
  }
  if (!projectDir) throw new CliUsageError('Missing <projectDir>.');
  const port = Number(flags.port ?? '7071');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliUsageError(`--port must be a port number, not '${flags.port ?? ''}'.`);
  const root = resolve(projectDir);
  return { projectDir: root, dataDir: resolve(flags.data ?? join(root, '.local', 'runtime')), port, host: flags.host ?? '127.0.0.1' };
}

/** Problems of a project that failed validation (ProjectValidationError from local/runtime/project), one line each. */
function formatProblems(err: unknown): string[] | undefined {
  const problems = (err as { problems?: unknown } | null)?.problems;
  if (!Array.isArray(problems)) return undefined;
  return problems.map((p: { file?: unknown; action?: unknown; message?: unknown }) => {
    const where = `${String(p.file ?? '?')}${p.action ? ` (action '${String(p.action)}')` : ''}`;
    return `  ${where}: ${String(p.message ?? '')}`;
  });
}

async function main(): Promise<number> {
  let options;
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof CliUsageError) {
      process.stderr.write(`${err.message}\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  let runtime;
  try {
    runtime = await startRuntime({ projectDir: options.projectDir, dataDir: options.dataDir, port: options.port, host: options.host });
  } catch (err) {
    const problems = formatProblems(err);
    if (problems) {
      process.stderr.write(`The project at ${options.projectDir} is not valid:\n${problems.join('\n')}\n`);
      return 1;
    }
    process.stderr.write(`Could not start the runtime: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  const urls = runtime.callbackUrls();
  const lines = [`Logic Apps runtime listening on ${runtime.url}`, `Run history: ${runtime.runHistoryUrl}`, `Data: ${options.dataDir}`, '', 'Request triggers:'];
  const names = Object.keys(urls).sort();
  for (const name of names) lines.push(`  ${name}: ${urls[name] ?? ''}`);
  if (names.length === 0) lines.push('  (none)');
  const { resumed, ended } = runtime.resumed;
  if (resumed.length + ended.length > 0) {
    // Runs an earlier process left unfinished (engine/resume.ts): say what happened to them.
    lines.push('', `Interrupted runs: ${resumed.length} resumed, ${ended.length} could not continue (marked Failed; see the run history).`);
  }
  lines.push('', 'Press Ctrl-C to stop.');
  process.stdout.write(lines.join('\n') + '\n');

  return new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`\n${signal}: saving history (stateful runs in progress continue at the next start)...\n`);
      runtime.stop().then(
        () => resolve(0),
        (err: unknown) => {
          process.stderr.write(`Stop failed: ${err instanceof Error ? err.message : String(err)}\n`);
          resolve(1);
        },
      );
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
