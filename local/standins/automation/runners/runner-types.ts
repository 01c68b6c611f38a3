import type { JobRecord, StreamType } from '../job-model.js';

/** How a job's runbook is carried out: by its TypeScript model or by the real .ps1 under pwsh. */
export type RunbookEngineName = 'typescript' | 'pwsh';

export type RunOutcome = { ok: true } | { ok: false; exception: string };

export interface RunHandle {
  /** A value when the run finished synchronously (TypeScript models), else a promise. */
  done: RunOutcome | Promise<RunOutcome>;
  /** Stops the run (job stopped); a finished run ignores it. */
  cancel(): void;
}

export interface RunbookRunner {
  readonly engine: RunbookEngineName;
  /**
   * When the runbook starts, in the job's New -> Activating -> Running progression:
   * `end` runs it in one go when the job's latency has passed (nothing changes before), `running` starts
   * it when the job enters Running (pwsh takes about a second to start, which overlaps the latency).
   */
  readonly startsAt: 'running' | 'end';
  /** The runbook's published name, or undefined when the account has no such runbook (case-insensitive). */
  find(name: string): string | undefined;
  /** A job was created and will run soon: get ready (pwsh starts warming a process). */
  prepare(): void;
  run(job: JobRecord, write: (stream: StreamType, text: string) => void): RunHandle;
  /** Ends every run still going (stand-in stopping) and waits for them. */
  shutdown(): Promise<void>;
}
