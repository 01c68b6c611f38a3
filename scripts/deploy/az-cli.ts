import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { formatCommand } from './command-line.js';
import { AzCommandError } from './errors.js';
import type { CallOptions, Runner } from './runner.js';

/**
 * Runs the Azure CLI without a shell (execFile: arguments go to az exactly as given, nothing is interpreted), with
 * `--only-show-errors -o json` on every call so answers parse and warnings do not mix into them.
 */
export const AZ_COMMON_ARGS = ['--only-show-errors', '-o', 'json'] as const;

export interface AzCliOptions {
  /** Working directory of every call: the project root, so `--template-file infra/main.bicep` and `@runbooks/…` resolve. */
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Called with each command line before it runs (--verbose). */
  onCommand?: (kind: 'check' | 'apply', line: string) => void;
}

interface AzProgram {
  file: string;
  prefix: string[];
}

/**
 * Where az is. On Windows az is `az.cmd`, a batch file that Node cannot start without a shell (and a shell would
 * re-interpret JSON bodies); the MSI installs it as `…\CLI2\wbin\az.cmd` next to `…\CLI2\python.exe`, and az.cmd
 * itself runs `python.exe -IBm azure.cli`, so we do the same directly.
 */
export function locateAz(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): AzProgram {
  if (platform !== 'win32') return { file: 'az', prefix: [] };
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (!dir) continue;
    const cmd = join(dir, 'az.cmd');
    if (!existsSync(cmd)) continue;
    const python = join(dirname(dir), 'python.exe');
    if (existsSync(python)) return { file: python, prefix: ['-IBm', 'azure.cli'] };
  }
  return { file: 'az', prefix: [] };
}

/** az prints JSON for most commands, raw text for non-JSON `az rest` answers, and nothing for empty answers. */
export function parseAzOutput(stdout: string): unknown {
  const text = stdout.trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return stdout;
  }
}

/**
 * "Not found": exit code 3 is what show commands return for a 404 (https://github.com/Azure/azure-cli/issues/6612);
 * `az rest` exits 1 and prints the HTTP reason followed by the body, e.g. `Not Found({"error":…})`
 * (azure-cli `send_raw_request`).
 */
export function isNotFound(error: unknown): boolean {
  if (!(error instanceof AzCommandError)) return false;
  if (error.exitCode === 3) return true;
  // Graph (az ad … show): Request_ResourceNotFound, "Resource '…' does not exist or one of its queried reference-property
  // objects are not present." (https://learn.microsoft.com/graph/errors)
  return /\bNot Found\(|\(ResourceNotFound\)|\(ResourceGroupNotFound\)|\bRequest_ResourceNotFound\b|does not exist or one of its queried reference-property objects are not present/.test(
    error.stderr,
  );
}

export class AzCliRunner implements Runner {
  readonly planning = false;
  private readonly program: AzProgram;

  constructor(private readonly options: AzCliOptions) {
    this.program = locateAz(options.env ?? process.env);
  }

  check(args: readonly string[], _options?: CallOptions): Promise<unknown> {
    return this.run('check', args);
  }

  async checkOptional(args: readonly string[], _options?: CallOptions): Promise<unknown> {
    try {
      return await this.run('check', args);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  apply(args: readonly string[], _options?: CallOptions): Promise<unknown> {
    return this.run('apply', args);
  }

  local<T>(_display: string, action: () => Promise<T>): Promise<T> {
    return action();
  }

  private run(kind: 'check' | 'apply', args: readonly string[]): Promise<unknown> {
    const full = [...args, ...AZ_COMMON_ARGS];
    this.options.onCommand?.(kind, formatCommand('az', full));
    return new Promise((resolve, reject) => {
      execFile(
        this.program.file,
        [...this.program.prefix, ...full],
        { cwd: this.options.cwd, env: this.options.env ?? process.env, maxBuffer: 256 * 1024 * 1024, windowsHide: true },
        (error, stdout, stderr) => {
          if (!error) return resolve(parseAzOutput(stdout));
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') {
            return reject(
              new AzCommandError(full, 'ENOENT', 'The Azure CLI (az) is not installed or not on PATH: install it from https://learn.microsoft.com/cli/azure/install-azure-cli'),
            );
          }
          reject(new AzCommandError(full, typeof code === 'number' ? code : ((error as { code?: number }).code ?? 1), stderr || error.message));
        },
      );
    });
  }
}
