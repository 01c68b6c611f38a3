import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { StreamType } from '../job-model.js';
import { JOB_HOST_SCRIPT, PWSH_MODULES_DIR } from '../repo-paths.js';

/**
 * One runbook job as a pwsh child process running pwsh/job-host.ps1, which runs runbooks/<Name>.ps1.
 * A process is started (`startPwshHost`) before its job is known and warms up; `runJob` then hands it
 * exactly one job over stdin. The job's script talks to the stand-in's /connect and /cmdlet through the
 * stub ExchangeOnlineManagement module (EXO_STANDIN_URL / EXO_STANDIN_TOKEN) and reads Automation
 * variables from AUTOMATION_VARIABLES. The process gets a minimal environment: nothing of this process's
 * settings or secrets leaks into a runbook, and the token never appears on a command line.
 */

export interface PwshJobRequest {
  runbookPath: string;
  /** Job parameters as ARM holds them (a string dictionary). */
  parameters: Readonly<Record<string, string>>;
  exchangeUrl: string;
  exchangeToken: string;
  variables: Readonly<Record<string, string | boolean | number>>;
  /**
   * More sandbox environment (msp mode: IDENTITY_ENDPOINT, IDENTITY_HEADER of the sandbox's managed-identity
   * endpoint, AZURE_AUTHORITY_HOST of the sign-in stand-in). Given to the job over stdin, never on a command line.
   */
  sandboxEnvironment?: Readonly<Record<string, string>>;
  /** Each stream record as the runbook writes it. */
  onRecord(stream: StreamType, text: string): void;
}

export type PwshJobOutcome = { ok: true } | { ok: false; exception: string };

const RECORD_PREFIX = '##job-stream ';
const STREAMS: readonly StreamType[] = ['Output', 'Error', 'Warning', 'Verbose', 'Progress'];

function baseEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'LC_ALL', 'SYSTEMROOT', 'USERPROFILE'];
  const env: NodeJS.ProcessEnv = {};
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k];
  return {
    ...env,
    PSModulePath: PWSH_MODULES_DIR,
    POWERSHELL_TELEMETRY_OPTOUT: '1',
    POWERSHELL_UPDATECHECK: 'Off',
    DOTNET_CLI_TELEMETRY_OPTOUT: '1',
    DOTNET_NOLOGO: '1',
  };
}

export class HostProcess {
  /** Resolves when the process has ended, with what its job reported. */
  readonly exited: Promise<PwshJobOutcome>;
  private onRecord: PwshJobRequest['onRecord'] = () => undefined;
  private exception: string | undefined;
  private stderr = '';

  constructor(private readonly child: ChildProcess) {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      if (this.stderr.length < 64_000) this.stderr += chunk;
    });
    child.stdin?.on('error', () => undefined); // the process may end before it reads its job
    const lines = child.stdout ? createInterface({ input: child.stdout, crlfDelay: Infinity }) : undefined;
    lines?.on('line', (line) => this.line(line));
    const linesClosed = lines ? new Promise<void>((resolve) => lines.once('close', resolve)) : Promise.resolve();
    this.exited = new Promise<PwshJobOutcome>((resolve) => {
      child.once('error', (err) => resolve({ ok: false, exception: `PowerShell could not be started: ${err.message}` }));
      child.once('close', (code, signal) => {
        void linesClosed.then(() => {
          if (code === 0 && this.exception === undefined) return resolve({ ok: true });
          if (this.exception !== undefined) return resolve({ ok: false, exception: this.exception });
          const reason = signal ? `was ended (${signal})` : `exited with code ${code ?? 'unknown'}`;
          resolve({ ok: false, exception: this.stderr.trim() || `The runbook's PowerShell process ${reason}.` });
        });
      });
    });
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Hands the process its one job; the outcome is `exited`. */
  assign(req: PwshJobRequest): void {
    this.onRecord = req.onRecord;
    const job = {
      runbookPath: req.runbookPath,
      parameters: req.parameters,
      environment: { ...req.sandboxEnvironment, EXO_STANDIN_URL: req.exchangeUrl, EXO_STANDIN_TOKEN: req.exchangeToken, AUTOMATION_VARIABLES: JSON.stringify(req.variables) },
    };
    this.child.stdin?.end(`${JSON.stringify(job)}\n`);
  }

  /** Ends the process (job stopped or stand-in shutting down). */
  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
  }

  private line(line: string): void {
    if (!line.startsWith(RECORD_PREFIX)) {
      // Something wrote to the console directly ([Console]::WriteLine): Automation shows it as output.
      if (line.trim() !== '') this.onRecord('Output', line);
      return;
    }
    let record: { stream?: unknown; text?: unknown };
    try {
      record = JSON.parse(line.slice(RECORD_PREFIX.length)) as typeof record;
    } catch {
      this.onRecord('Output', line);
      return;
    }
    const text = typeof record.text === 'string' ? record.text : '';
    if (record.stream === 'Exception') this.exception = text;
    else this.onRecord(STREAMS.find((s) => s === record.stream) ?? 'Output', text);
  }
}

/** Starts a warming pwsh process that waits for one job. */
export function startPwshHost(pwsh: string): HostProcess {
  const child = spawn(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', JOB_HOST_SCRIPT], { env: baseEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  return new HostProcess(child);
}
