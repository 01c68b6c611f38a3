import { createHash } from 'node:crypto';
import {
  SECURE_PLACEHOLDER,
  type ActionRecord,
  type LoadedWorkflow,
  type RepetitionRecord,
  type RunRecord,
  type TriggerRecord,
} from '../../model.js';
import { actionPath, MANAGEMENT_PREFIX, repetitionPath, runPath } from './paths.js';

/**
 * Converts history records into the REST shapes Azure's management API returns
 * (https://learn.microsoft.com/rest/api/appservice/workflow-runs): `{id, name, type, properties{...}}`.
 *
 * Two local additions, both plain references with no data: `properties.childRun` on a Workflow
 * action and `properties.parentRun` on a run it started, so the page can link parent and child
 * (Azure's portal reads the same from the Workflow action's output headers).
 */

interface ContentLink {
  uri: string;
  contentSize: number;
  contentHash: { algorithm: 'md5'; value: string };
}

/** Secure inputs/outputs never leave the server: whatever the record holds, callers get the placeholder. */
export function visibleContent(value: unknown, secure: boolean | undefined): unknown {
  return secure ? { ...SECURE_PLACEHOLDER } : value;
}

function link(baseUrl: string, path: string, value: unknown): ContentLink {
  const text = JSON.stringify(value) ?? '';
  return {
    uri: `${baseUrl}${MANAGEMENT_PREFIX}${path}`,
    contentSize: Buffer.byteLength(text),
    contentHash: { algorithm: 'md5', value: createHash('md5').update(text).digest('base64') },
  };
}

/** `inputs`/`outputs` inlined plus their `*Link`s; secure sides show the placeholder and name themselves in `secureData`. */
function contents(
  baseUrl: string,
  basePath: string,
  kind: 'Action' | 'Trigger',
  record: { inputs?: unknown; outputs?: unknown; secureInputs?: boolean; secureOutputs?: boolean },
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const secure: string[] = [];
  if (record.inputs !== undefined || record.secureInputs) {
    const inputs = visibleContent(record.inputs, record.secureInputs);
    out.inputs = inputs;
    out.inputsLink = link(baseUrl, `${basePath}/contents/${kind}Inputs`, inputs);
    if (record.secureInputs) secure.push('inputs');
  }
  if (record.outputs !== undefined || record.secureOutputs) {
    const outputs = visibleContent(record.outputs, record.secureOutputs);
    out.outputs = outputs;
    out.outputsLink = link(baseUrl, `${basePath}/contents/${kind}Outputs`, outputs);
    if (record.secureOutputs) secure.push('outputs');
  }
  if (secure.length > 0) out.secureData = { properties: secure };
  return out;
}

function defined(obj: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(obj)) if (obj[k] === undefined) delete obj[k];
  return obj;
}

function triggerShape(baseUrl: string, run: RunRecord, trigger: TriggerRecord): Record<string, unknown> {
  return defined({
    name: trigger.name,
    ...contents(baseUrl, runPath(run.workflow, run.name), 'Trigger', trigger),
    startTime: trigger.startTime,
    endTime: trigger.endTime,
    scheduledTime: trigger.startTime,
    correlation: { clientTrackingId: run.clientTrackingId },
    code: trigger.code,
    status: trigger.status,
  });
}

export function runShape(baseUrl: string, run: RunRecord, actions?: ActionRecord[]): Record<string, unknown> {
  const properties = defined({
    waitEndTime: run.startTime,
    startTime: run.startTime,
    endTime: run.endTime,
    status: run.status,
    code: run.code,
    error: run.error,
    correlation: { clientTrackingId: run.clientTrackingId },
    workflow: { id: `workflows/${run.workflow}/versions/${run.version}`, name: run.version, type: 'workflows/versions' },
    trigger: triggerShape(baseUrl, run, run.trigger),
    // Only the status line of the response: its body may carry data the Response action marks secure.
    response: run.response ? { statusCode: run.response.statusCode, code: String(run.response.statusCode), status: 'Succeeded' } : undefined,
    outputs: run.outputs ?? {},
    parentRun: run.parentRun
      ? { workflow: run.parentRun.workflow, name: run.parentRun.runName, action: run.parentRun.action, id: `workflows/${run.parentRun.workflow}/runs/${run.parentRun.runName}` }
      : undefined,
    actions: actions ? Object.fromEntries(actions.map((a) => [a.name, actionShape(baseUrl, run, a)])) : undefined,
  });
  return { id: `workflows/${run.workflow}/runs/${run.name}`, name: run.name, type: 'workflows/runs', properties };
}

export function actionShape(baseUrl: string, run: RunRecord, action: ActionRecord): Record<string, unknown> {
  const path = actionPath(run.workflow, run.name, action.name);
  const properties = defined({
    ...contents(baseUrl, path, 'Action', action),
    startTime: action.startTime,
    endTime: action.endTime,
    correlation: { actionTrackingId: action.actionTrackingId, clientTrackingId: action.clientTrackingId ?? run.clientTrackingId },
    status: action.status,
    code: action.code,
    error: action.error,
    retryHistory: action.retryHistory,
    trackedProperties: action.trackedProperties,
    repetitionCount: action.repetitionCount,
    iterationCount: action.iterationCount,
    childRun: action.childRun
      ? { workflow: action.childRun.workflow, name: action.childRun.runName, id: `workflows/${action.childRun.workflow}/runs/${action.childRun.runName}` }
      : undefined,
  });
  return { id: path, name: action.name, type: '/workflows/runs/actions', properties };
}

export function repetitionShape(baseUrl: string, run: RunRecord, rep: RepetitionRecord, secure: { secureInputs?: boolean; secureOutputs?: boolean }): Record<string, unknown> {
  const path = repetitionPath(run.workflow, run.name, rep.action, rep.name);
  const properties = defined({
    repetitionIndexes: rep.repetitionIndexes,
    trackingId: rep.trackingId,
    ...contents(baseUrl, path, 'Action', { inputs: rep.inputs, outputs: rep.outputs, ...secure }),
    startTime: rep.startTime,
    endTime: rep.endTime,
    correlation: { actionTrackingId: rep.trackingId, clientTrackingId: run.clientTrackingId },
    status: rep.status,
    code: rep.code,
    error: rep.error,
    retryHistory: rep.retryHistory,
  });
  return { id: path, name: rep.name, type: '/workflows/runs/actions/repetitions', properties };
}

export function triggerHistoryShape(run: RunRecord): Record<string, unknown> {
  return {
    id: `/workflows/${run.workflow}/triggers/${run.trigger.name}/histories/${run.name}`,
    name: run.name,
    type: '/workflows/triggers/histories',
    properties: defined({
      startTime: run.trigger.startTime,
      endTime: run.trigger.endTime,
      scheduledTime: run.trigger.startTime,
      status: run.trigger.status,
      code: run.trigger.code,
      correlation: { clientTrackingId: run.clientTrackingId },
      fired: true,
      run: { name: run.name, id: `/workflows/${run.workflow}/runs/${run.name}`, type: '/workflows/runs' },
    }),
  };
}

export function workflowShape(wf: LoadedWorkflow): Record<string, unknown> {
  const trigger = wf.trigger as { type?: unknown; kind?: unknown };
  return {
    id: `/workflows/${wf.name}`,
    name: wf.name,
    type: '/workflows',
    kind: wf.kind,
    properties: {
      flowState: 'Enabled',
      health: { state: 'Healthy' },
      version: wf.version,
      kind: wf.kind,
      triggers: { [wf.triggerName]: { type: trigger.type, kind: trigger.kind } },
      definition: wf.definition,
    },
  };
}
