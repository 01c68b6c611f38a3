import { Worker } from 'node:worker_threads';

/**
 * Inline JavaScript runs in worker threads, never on the runtime's own thread: a script that spins until
 * the time limit (15 s in Standard, https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#inline-code-action-limits)
 * must not stall other runs or the management API. Each job gets a fresh node:vm context inside a pooled
 * worker; a worker whose script overruns the limit (or whose action is cancelled) is terminated and replaced.
 */

export interface InlineCodeJob {
  code: string;
  /** JSON of workflowContext ({actions, trigger, workflow}); parsed and deep-frozen inside the sandbox. */
  contextJson: string;
  filename: string;
  timeoutMs: number;
}

export type InlineCodeAnswer =
  | { kind: 'result'; json: string | undefined }
  | { kind: 'error'; message: string }
  | { kind: 'timeout' }
  | { kind: 'unsettled' };

/** Workers kept at most; more scripts at once wait for a free one. */
const POOL_SIZE = 4;
/** Grace after the limit for the worker's own vm timeout to answer before the worker is terminated. */
const TERMINATE_GRACE_MS = 250;

/**
 * Runs inside each worker (plain JavaScript, evaluated as a CommonJS worker script). The sandbox has only
 * the deep-frozen workflowContext: no require, process, import or timers; codeGeneration off, and
 * microtaskMode 'afterEvaluate' so awaiting code is bounded by the same timed evaluation.
 */
const WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
const vm = require('node:vm');
const PRELUDE = "'use strict';\\n" +
  "const __freeze = (o) => { if (o && typeof o === 'object' && !Object.isFrozen(o)) { Object.freeze(o); for (const k of Object.keys(o)) __freeze(o[k]); } return o; };\\n" +
  "globalThis.workflowContext = __freeze(JSON.parse(__contextJson));\\n" +
  "delete globalThis.__contextJson;\\n";
const SETTLE = "(v) => { globalThis.__done = true; try { globalThis.__result = v === undefined ? undefined : JSON.stringify(v); } catch (e) { globalThis.__error = 'The return value cannot be serialized to JSON: ' + String(e && e.message); } }, (e) => { globalThis.__done = true; globalThis.__error = e && e.message !== undefined ? String(e.message) : String(e); }";
parentPort.on('message', (job) => {
  const sandbox = vm.createContext(Object.create(null), { codeGeneration: { strings: false, wasm: false }, microtaskMode: 'afterEvaluate' });
  try {
    sandbox.__contextJson = job.contextJson;
    new vm.Script(PRELUDE).runInContext(sandbox, { timeout: job.timeoutMs });
    new vm.Script('(async function () {\\n\\'use strict\\';\\n' + job.code + '\\n})().then(' + SETTLE + ');', { filename: job.filename })
      .runInContext(sandbox, { timeout: job.timeoutMs });
  } catch (err) {
    if (err && err.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return parentPort.postMessage({ kind: 'timeout' });
    const message = err && typeof err === 'object' && 'message' in err ? String(err.message) : String(err);
    return parentPort.postMessage({ kind: 'error', message });
  }
  if (sandbox.__done !== true) return parentPort.postMessage({ kind: 'unsettled' });
  if (typeof sandbox.__error === 'string') return parentPort.postMessage({ kind: 'error', message: sandbox.__error });
  parentPort.postMessage({ kind: 'result', json: typeof sandbox.__result === 'string' ? sandbox.__result : undefined });
});
`;

class InlineCodePool {
  private readonly idle: Worker[] = [];
  private total = 0;
  private readonly waiting: Array<(w: Worker) => void> = [];

  async run(job: InlineCodeJob, signal?: AbortSignal): Promise<InlineCodeAnswer> {
    const worker = await this.acquire();
    return new Promise<InlineCodeAnswer>((resolve, reject) => {
      let done = false;
      const finish = (keep: boolean, settle: () => void): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        worker.off('message', onMessage);
        worker.off('error', onError);
        if (keep) this.release(worker);
        else this.discard(worker);
        settle();
      };
      const onMessage = (answer: InlineCodeAnswer): void => finish(true, () => resolve(answer));
      const onError = (err: Error): void => finish(false, () => resolve({ kind: 'error', message: err.message }));
      const onAbort = (): void => finish(false, () => reject(signal?.reason));
      const timer = setTimeout(() => finish(false, () => resolve({ kind: 'timeout' })), job.timeoutMs + TERMINATE_GRACE_MS);
      worker.on('message', onMessage);
      worker.on('error', onError);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.postMessage(job);
    });
  }

  private acquire(): Promise<Worker> {
    const free = this.idle.pop();
    if (free) return Promise.resolve(free);
    if (this.total < POOL_SIZE) {
      this.total++;
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      // Idle workers never keep the process alive; a pending job's own timer does.
      worker.unref();
      return Promise.resolve(worker);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(worker: Worker): void {
    const next = this.waiting.shift();
    if (next) next(worker);
    else this.idle.push(worker);
  }

  /** Terminates a worker whose script overran or was cancelled, and hands its place to whoever waits. */
  private discard(worker: Worker): void {
    void worker.terminate();
    this.total--;
    const next = this.waiting.shift();
    if (next) {
      void this.acquire().then(next);
    }
  }
}

let shared: InlineCodePool | undefined;

/** Runs one inline script in the process-wide worker pool. */
export function runInlineCode(job: InlineCodeJob, signal?: AbortSignal): Promise<InlineCodeAnswer> {
  shared ??= new InlineCodePool();
  return shared.run(job, signal);
}
