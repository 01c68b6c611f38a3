import { randomUUID } from 'node:crypto';
import { armTime, TERMINAL_STATUSES, type JobRecord, type JobStatus, type StreamType } from './job-model.js';
import type { RunbookRunner, RunHandle, RunOutcome } from './runners/runner-types.js';

/**
 * Runs Automation jobs: New -> Activating -> Running -> Completed | Failed (or Stopped), spread over
 * `latencyMs` so pollers see the same progression as in Azure. The runner decides when the runbook runs
 * (runners/runner-types.ts): the TypeScript models at the end of Running, all at once, so a job stopped
 * earlier changes nothing; pwsh from the start of Running, finishing no earlier than `latencyMs`.
 */

export interface JobEngineOptions {
  runner: RunbookRunner;
  latencyMs: number;
}

export type CreateJobOutcome = { ok: true; job: JobRecord } | { ok: false; reason: 'unknown-runbook' | 'duplicate' };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** .NET ticks at the Unix epoch; Automation stream ids end in a ticks value. */
const EPOCH_TICKS = 621355968000000000n;

export class JobEngine {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiters = new Map<JobRecord, Array<() => void>>();
  private readonly runs = new Map<JobRecord, RunHandle>();
  private streamSeq = 0n;

  constructor(private readonly opts: JobEngineOptions) {}

  get engine(): RunbookRunner['engine'] {
    return this.opts.runner.engine;
  }

  private key(accountId: string, name: string): string {
    return `${accountId}/jobs/${name}`.toLowerCase();
  }

  create(accountId: string, name: string, runbookName: string, parameters: Record<string, string>): CreateJobOutcome {
    const runbook = this.opts.runner.find(runbookName);
    if (!runbook) return { ok: false, reason: 'unknown-runbook' };
    const key = this.key(accountId, name);
    if (this.jobs.has(key) || this.findByJobId(accountId, name)) return { ok: false, reason: 'duplicate' };
    const createdAt = Date.now();
    const now = armTime(createdAt);
    const job: JobRecord = {
      id: `${accountId}/jobs/${name}`,
      name,
      // Jobs created with a GUID name (as the connectors do) get that GUID as their jobId too.
      jobId: GUID.test(name) ? name.toLowerCase() : randomUUID(),
      runbook,
      parameters: { ...parameters },
      status: 'New',
      statusDetails: 'None',
      provisioningState: 'Processing',
      creationTime: now,
      startTime: null,
      endTime: null,
      lastModifiedTime: now,
      lastStatusModifiedTime: now,
      exception: null,
      streams: [],
      engine: this.opts.runner.engine,
    };
    this.jobs.set(key, job);
    const l = this.opts.latencyMs;
    const { runner } = this.opts;
    runner.prepare();
    // Each step schedules the next: independent timers of different lengths can fire out of order when the
    // event loop lags (Node runs every due timer of one duration list before the next list), which left
    // jobs stuck in Activating.
    const end = createdAt + l;
    this.after(l * 0.2, () => {
      if (!this.move(job, 'Activating')) return;
      this.after(createdAt + l * 0.4 - Date.now(), () => {
        if (!this.move(job, 'Running')) return;
        job.startTime = job.lastStatusModifiedTime;
        if (runner.startsAt === 'running') this.start(job, end);
        else this.after(end - Date.now(), () => this.start(job, end));
      });
    });
    return { ok: true, job };
  }

  /** Looks a job up by its name or its jobId (the managed connector addresses jobs by jobId). */
  get(accountId: string, nameOrId: string): JobRecord | undefined {
    return this.jobs.get(this.key(accountId, nameOrId)) ?? this.findByJobId(accountId, nameOrId);
  }

  list(): JobRecord[] {
    return [...this.jobs.values()];
  }

  /** Stops a job that has not finished; false when it already reached a terminal status. */
  stop(job: JobRecord): boolean {
    if (TERMINAL_STATUSES.includes(job.status)) return false;
    this.move(job, 'Stopped');
    job.endTime = job.lastStatusModifiedTime;
    job.provisioningState = 'Succeeded';
    this.runs.get(job)?.cancel();
    this.runs.delete(job);
    return true;
  }

  /** Resolves once the job is terminal (or forgotten by clear()). */
  whenTerminal(job: JobRecord): Promise<void> {
    if (TERMINAL_STATUSES.includes(job.status)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.waiters.get(job) ?? [];
      list.push(resolve);
      this.waiters.set(job, list);
    });
  }

  /** Forgets all jobs and cancels pending transitions and runs (admin reset, stand-in stop). */
  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const run of this.runs.values()) run.cancel();
    this.runs.clear();
    this.jobs.clear();
    for (const list of this.waiters.values()) for (const resolve of list) resolve();
    this.waiters.clear();
  }

  /** clear(), then waits for runbook processes to end (stand-in stop). */
  async shutdown(): Promise<void> {
    this.clear();
    await this.opts.runner.shutdown();
  }

  private findByJobId(accountId: string, jobId: string): JobRecord | undefined {
    const prefix = `${accountId}/jobs/`.toLowerCase();
    for (const [key, job] of this.jobs) if (key.startsWith(prefix) && job.jobId === jobId.toLowerCase()) return job;
    return undefined;
  }

  private after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, Math.max(0, Math.round(ms)));
    this.timers.add(t);
  }

  /** Moves a live job to `status`; ignored once the job is terminal (e.g. stopped meanwhile). */
  private move(job: JobRecord, status: JobStatus): boolean {
    if (TERMINAL_STATUSES.includes(job.status)) return false;
    const now = armTime(Date.now());
    job.status = status;
    job.lastStatusModifiedTime = now;
    job.lastModifiedTime = now;
    if (TERMINAL_STATUSES.includes(status)) {
      // Waiters run after the caller has finished updating the record (endTime, exception).
      const list = this.waiters.get(job) ?? [];
      this.waiters.delete(job);
      queueMicrotask(() => {
        for (const resolve of list) resolve();
      });
    }
    return true;
  }

  private write(job: JobRecord, streamType: StreamType, text: string): void {
    if (TERMINAL_STATUSES.includes(job.status)) return;
    this.streamSeq += 1n;
    const ticks = EPOCH_TICKS + BigInt(Date.now()) * 10000n + (this.streamSeq % 10000n);
    job.streams.push({ jobStreamId: `${job.jobId}:${ticks.toString().padStart(20, '0')}`, time: armTime(Date.now()), streamType, streamText: text });
  }

  private start(job: JobRecord, notBefore: number): void {
    if (job.status !== 'Running') return;
    const run = this.opts.runner.run(job, (stream, text) => this.write(job, stream, text));
    if (!(run.done instanceof Promise)) return this.finish(job, run.done);
    this.runs.set(job, run);
    void run.done.then((outcome) => {
      if (this.runs.get(job) !== run) return; // stopped or cleared meanwhile
      this.runs.delete(job);
      const wait = notBefore - Date.now();
      if (wait > 0) this.after(wait, () => this.finish(job, outcome));
      else this.finish(job, outcome);
    });
  }

  private finish(job: JobRecord, outcome: RunOutcome): void {
    if (job.status !== 'Running') return;
    if (outcome.ok) {
      this.move(job, 'Completed');
      job.provisioningState = 'Succeeded';
    } else {
      // Automation records the terminating error in the Error stream and as the job's exception.
      this.write(job, 'Error', outcome.exception);
      this.move(job, 'Failed');
      job.exception = outcome.exception;
      job.provisioningState = 'Failed';
    }
    job.endTime = job.lastStatusModifiedTime;
  }
}
