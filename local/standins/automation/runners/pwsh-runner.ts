import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { JobRecord, StreamType } from '../job-model.js';
import { startPwshHost, type HostProcess } from '../pwsh/pwsh-job.js';
import type { AutomationVariableValue } from '../runbooks/runbook-types.js';
import type { RunbookRunner, RunHandle, RunOutcome } from './runner-types.js';

/**
 * The real engine: runbooks/<Name>.ps1 under PowerShell 7, one process per job (as Automation gives each
 * job its own sandbox), with the stub ExchangeOnlineManagement module calling this stand-in's /connect
 * and /cmdlet. PowerShell takes a second or more to start, so the runner keeps one process warming up
 * for the next job from the moment a job is created (a stand-in that never runs a job starts none), and
 * starts the next spare as soon as a job takes one. At most `maxParallel` jobs run at once; later ones wait
 * in Running, as jobs queue for a sandbox.
 */
export interface PwshRunnerOptions {
  pwsh: string;
  runbooksDir: string;
  /** This stand-in's origin, where the stub module finds /connect and /cmdlet. */
  exchangeUrl(): string;
  exchangeToken(): string;
  variables(): Readonly<Record<string, AutomationVariableValue>>;
  /** Extra environment of every job's sandbox (msp mode: managed-identity endpoint, sign-in endpoint). */
  sandboxEnvironment?(): Readonly<Record<string, string>>;
  maxParallel?: number;
}

export function pwshRunner(opts: PwshRunnerOptions): RunbookRunner {
  const limit = Math.max(1, opts.maxParallel ?? 4);
  const running = new Set<HostProcess>();
  const queue: Array<() => void> = [];
  let spare: HostProcess | undefined;
  let stopped = false;

  const find = (name: string): string | undefined => {
    let files: string[];
    try {
      files = readdirSync(opts.runbooksDir);
    } catch {
      return undefined;
    }
    return files.find((f) => f.toLowerCase() === `${name.toLowerCase()}.ps1`)?.slice(0, -4);
  };
  const takeHost = (): HostProcess => {
    const host = spare?.alive ? spare : startPwshHost(opts.pwsh);
    spare = undefined;
    return host;
  };
  const warmSpare = () => {
    if (!stopped && (!spare || !spare.alive)) spare = startPwshHost(opts.pwsh);
  };
  const next = () => {
    while (running.size < limit && queue.length) queue.shift()?.();
  };

  return {
    engine: 'pwsh',
    startsAt: 'running',
    find,
    prepare: warmSpare,
    run(job: JobRecord, write: (stream: StreamType, text: string) => void): RunHandle {
      let cancelled = false;
      let host: HostProcess | undefined;
      let settle: (outcome: RunOutcome) => void = () => undefined;
      const done = new Promise<RunOutcome>((resolve) => {
        settle = resolve;
      });
      const start = () => {
        if (cancelled || stopped) return;
        const h = takeHost();
        host = h;
        running.add(h);
        warmSpare();
        h.assign({
          runbookPath: join(opts.runbooksDir, `${find(job.runbook) ?? job.runbook}.ps1`),
          parameters: job.parameters,
          exchangeUrl: opts.exchangeUrl(),
          exchangeToken: opts.exchangeToken(),
          variables: opts.variables(),
          sandboxEnvironment: opts.sandboxEnvironment?.() ?? {},
          onRecord: (stream, text) => {
            if (!cancelled) write(stream, text);
          },
        });
        void h.exited.then((outcome) => {
          running.delete(h);
          next();
          settle(outcome);
        });
      };
      queue.push(start);
      next();
      return {
        done,
        cancel: () => {
          cancelled = true;
          const i = queue.indexOf(start);
          if (i >= 0) {
            queue.splice(i, 1);
            settle({ ok: false, exception: 'The job was stopped before it started.' });
          }
          host?.kill();
        },
      };
    },
    async shutdown() {
      stopped = true;
      queue.length = 0;
      const all = [...running, ...(spare ? [spare] : [])];
      spare = undefined;
      for (const h of all) h.kill();
      await Promise.race([Promise.all(all.map((h) => h.exited)), new Promise((r) => setTimeout(r, 5000))]);
    },
  };
}
