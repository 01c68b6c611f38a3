import { randomUUID } from 'node:crypto';
import type { ExchangeModel } from './exchange-model.js';
import { armTime, TERMINAL_STATUSES, type JobRecord, type JobStatus, type StreamType } from './job-model.js';
import { bindParameters } from './runbooks/bind-parameters.js';
import { resultLine, type RunbookModel } from './runbooks/runbook-types.js';

/**
 * Runs Automation jobs: New -> Activating -> Running -> Completed | Failed (or Stopped), spread over
 * `latencyMs` so pollers see the same progression as in Azure. The runbook model runs at the end of
 * Running and applies its Exchange changes at once, so a job stopped earlier changes nothing.
 */

export interface JobEngineOptions {
  exchange: ExchangeModel;
  models: readonly RunbookModel[];
  variables: Record<string, string>;
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
  private streamSeq = 0n;

  constructor(private readonly opts: JobEngineOptions) {}

  private key(accountId: string, name: string): string {
    return `${accountId}/jobs/${name}`.toLowerCase();
  }

  create(accountId: string, name: string, runbookName: string, parameters: Record<string, string>): CreateJobOutcome {
    const model = this.opts.models.find((m) => m.name.toLowerCase() === runbookName.toLowerCase());
    if (!model) return { ok: false, reason: 'unknown-runbook' };
    const key = this.key(accountId, name);
    if (this.jobs.has(key) || this.findByJobId(accountId, name)) return { ok: false, reason: 'duplicate' };
    const now = armTime(Date.now());
    const job: JobRecord = {
      id: `${accountId}/jobs/${name}`,
      name,
      // Jobs created with a GUID name (as the connectors do) get that GUID as their jobId too.
      jobId: GUID.test(name) ? name.toLowerCase() : randomUUID(),
      runbook: model.name,
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
    };
    this.jobs.set(key, job);
    const l = this.opts.latencyMs;
    this.after(l * 0.2, () => this.move(job, 'Activating'));
    this.after(l * 0.4, () => {
      if (this.move(job, 'Running')) job.startTime = job.lastStatusModifiedTime;
    });
    this.after(l, () => this.execute(job, model));
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

  /** Forgets all jobs and cancels pending transitions (admin reset, stand-in stop). */
  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.jobs.clear();
    for (const list of this.waiters.values()) for (const resolve of list) resolve();
    this.waiters.clear();
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
    this.streamSeq += 1n;
    const ticks = EPOCH_TICKS + BigInt(Date.now()) * 10000n + (this.streamSeq % 10000n);
    job.streams.push({ jobStreamId: `${job.jobId}:${ticks.toString().padStart(20, '0')}`, time: armTime(Date.now()), streamType, streamText: text });
  }

  private execute(job: JobRecord, model: RunbookModel): void {
    if (job.status !== 'Running') return;
    try {
      const bound = bindParameters(model.parameters, job.parameters);
      const result = model.run(bound, {
        exchange: this.opts.exchange,
        variables: this.opts.variables,
        output: (line) => this.write(job, 'Output', line),
        warning: (line) => this.write(job, 'Warning', line),
      });
      this.write(job, 'Output', resultLine(result));
      this.move(job, 'Completed');
      job.provisioningState = 'Succeeded';
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.write(job, 'Error', message);
      this.move(job, 'Failed');
      job.exception = message;
      job.provisioningState = 'Failed';
    }
    job.endTime = job.lastStatusModifiedTime;
  }
}
