import type {
  ActionRecord,
  HistoryStore,
  LoadedProject,
  LoadedWorkflow,
  RunRecord,
  StartedRun,
  StartOptions,
  TriggerRequest,
  WorkflowEngine,
  WorkflowHttpResponse,
} from '../../../local/runtime/model.js';
import { operationPath } from '../../../local/runtime/server/management/paths.js';

/** A secret the fake engine (wrongly) leaves in a secure action's record: the server must never serve it. */
export const LEAKED_SECRET = 'P@ssw0rd-never-shown';

export class FakeTriggerRequestError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

function workflow(name: string, trigger: Record<string, unknown>, actions: Record<string, unknown> = {}): LoadedWorkflow {
  return { name, file: `${name}/workflow.json`, kind: 'Stateful', definition: { triggers: { manual: trigger }, actions }, version: `v-${name}`, triggerName: 'manual', trigger };
}

export function fakeProject(): LoadedProject {
  const request = { type: 'Request', kind: 'Http', inputs: { method: 'POST' } };
  const workflows = new Map<string, LoadedWorkflow>([
    ['hello', workflow('hello', request, { Compose: { type: 'Compose' }, Secret: { type: 'Compose' }, Loop: { type: 'Foreach', actions: { Inner: { type: 'Compose' } } }, Call_child: { type: 'Workflow' }, Flaky: { type: 'Http' } })],
    ['child', workflow('child', request)],
    ['getter', workflow('getter', { type: 'Request', kind: 'Http', inputs: { method: 'GET', relativePath: 'items/{id}' } })],
    ['async', workflow('async', request)],
    ['timer', workflow('timer', { type: 'Recurrence', recurrence: { frequency: 'Hour', interval: 1 } })],
  ]);
  return { root: '/fake', workflowsDir: '/fake', host: {}, connections: {}, parameters: {}, appSettings: {}, workflows };
}

let counter = 0;
const nextName = () => `0858${String(++counter).padStart(25, '0')}CU00`;

/**
 * Stands in for the engine: writes a plausible run (with actions of each kind the page and API
 * must show) to history and answers like a Response action. `async` runs stay Running until finishAsync().
 */
export class FakeEngine implements WorkflowEngine {
  readonly project = fakeProject();
  readonly cancelled: string[] = [];
  readonly requests: TriggerRequest[] = [];
  private clock = Date.parse('2026-03-01T10:00:00.000Z');
  private pendingAsync = new Map<string, RunRecord>();

  constructor(private readonly history: HistoryStore, private readonly baseUrl: () => string = () => '') {}

  private tick(ms = 1000): string {
    this.clock += ms;
    return new Date(this.clock).toISOString();
  }

  start(workflow: string, trigger: string, request: TriggerRequest, options: StartOptions = {}): StartedRun {
    if ((request.body as { reject?: boolean } | undefined)?.reject) throw new FakeTriggerRequestError(400, 'TriggerInputSchemaMismatch', "The input body for trigger 'manual' of type 'Request' did not match its schema definition.");
    this.requests.push(request);
    const runName = nextName();
    const clientTrackingId = options.clientTrackingId ?? runName;
    const correlationId = options.correlationId ?? `corr-${runName}`;
    const start = this.tick();
    const run: RunRecord = {
      workflow, name: runName, status: 'Running', startTime: start, clientTrackingId, correlationId, version: `v-${workflow}`,
      trigger: { name: trigger, type: 'Request', status: 'Succeeded', code: 'OK', startTime: start, endTime: start, outputs: { headers: request.headers, body: request.body } },
      ...(options.parentRun ? { parentRun: options.parentRun } : {}),
    };
    this.history.saveRun(run);
    if (workflow === 'async') {
      this.pendingAsync.set(runName, run);
      const location = `${this.baseUrl()}${operationPath(workflow, runName, 'op1')}`;
      const response = { statusCode: 202, headers: { location, 'retry-after': '1' }, body: undefined } satisfies WorkflowHttpResponse;
      return { runName, clientTrackingId, correlationId, response: Promise.resolve(response), completed: new Promise(() => undefined) };
    }
    const result = workflow === 'hello' ? this.helloActions(run, request) : { status: 'Succeeded' as const };
    const response: WorkflowHttpResponse = { statusCode: 200, headers: { 'content-type': 'application/json' }, body: { echo: request.body ?? null, run: runName } };
    const done: RunRecord = { ...run, status: result.status, endTime: this.tick(), response };
    if (result.status === 'Failed') done.error = { code: 'ActionFailed', message: 'An action failed. No dependent actions succeeded.' };
    this.history.saveRun(done);
    return { runName, clientTrackingId, correlationId, response: Promise.resolve(response), completed: Promise.resolve(done) };
  }

  private helloActions(run: RunRecord, request: TriggerRequest): { status: 'Succeeded' | 'Failed' } {
    const act = (a: Omit<ActionRecord, 'actionTrackingId' | 'startTime' | 'endTime' | 'code'> & { code?: string }): void => {
      const startTime = this.tick(10);
      this.history.saveAction(run.workflow, run.name, { code: 'OK', ...a, startTime, endTime: this.tick(25), actionTrackingId: `t-${a.name}` });
    };
    act({ name: 'Compose', order: 1, type: 'Compose', status: 'Succeeded', inputs: { ticket: request.body }, outputs: { ticket: request.body }, trackedProperties: { ticket: run.clientTrackingId } });
    act({ name: 'Secret', order: 2, type: 'Compose', status: 'Succeeded', inputs: { password: LEAKED_SECRET }, outputs: LEAKED_SECRET, secureInputs: true, secureOutputs: true });
    act({ name: 'Loop', order: 3, type: 'Foreach', status: 'Succeeded', repetitionCount: 2 });
    act({ name: 'Inner', order: 4, type: 'Compose', parent: 'Loop', status: 'Succeeded', inputs: 'b', outputs: 'b' });
    for (const i of [0, 1]) {
      this.history.saveRepetition(run.workflow, run.name, { action: 'Inner', name: String(i).padStart(6, '0'), repetitionIndexes: [{ scopeName: 'Loop', itemIndex: i }], status: 'Succeeded', code: 'OK', startTime: this.tick(1), endTime: this.tick(1), inputs: ['a', 'b'][i], outputs: ['a', 'b'][i], trackingId: `rep-${i}` });
    }
    const child = this.start('child', 'manual', { method: 'POST', relativePath: '', headers: {}, queries: {}, body: { from: run.name } }, { parentRun: { workflow: run.workflow, runName: run.name, action: 'Call_child' }, clientTrackingId: run.clientTrackingId });
    act({ name: 'Call_child', order: 5, type: 'Workflow', status: 'Succeeded', childRun: { workflow: 'child', runName: child.runName }, outputs: { statusCode: 200 } });
    const failing = (request.body as { fail?: boolean } | undefined)?.fail === true;
    act({
      name: 'Flaky', order: 6, type: 'Http', status: failing ? 'Failed' : 'Succeeded', code: failing ? 'BadRequest' : 'OK',
      ...(failing ? { error: { code: 'BadRequest', message: 'The user <script>alert(1)</script> was not found.' } } : {}),
      retryHistory: [{ startTime: this.tick(1), endTime: this.tick(1), code: 'TooManyRequests', error: { code: 'TooManyRequests', message: 'Slow down' } }],
    });
    return { status: failing ? 'Failed' : 'Succeeded' };
  }

  /** Lets an `async` run save its response and finish. */
  finishAsync(runName: string, status: 'Succeeded' | 'Failed'): void {
    const run = this.pendingAsync.get(runName);
    if (!run) throw new Error(`no async run ${runName}`);
    this.pendingAsync.delete(runName);
    if (status === 'Succeeded') this.history.saveRun({ ...run, status, endTime: this.tick(), response: { statusCode: 201, headers: { 'content-type': 'application/json' }, body: { done: true } } });
    else this.history.saveRun({ ...run, status, endTime: this.tick(), error: { code: 'ActionFailed', message: 'An action failed.' } });
  }

  securedResponse(): WorkflowHttpResponse | undefined {
    return undefined;
  }

  cancel(workflow: string, runName: string): boolean {
    this.cancelled.push(`${workflow}/${runName}`);
    return true;
  }

  async drain(): Promise<void> {}
}
