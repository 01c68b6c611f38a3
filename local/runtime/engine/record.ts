import { SECURE_PLACEHOLDER, type ActionRecord, type RepetitionRecord, type RetryAttempt } from '../model.js';
import type { CompiledAction } from './compile.js';
import type { ActionResultView } from './frame.js';

export interface RecordExtras {
  order: number;
  retryHistory?: RetryAttempt[];
  repetitionCount?: number;
  iterationCount?: number;
  childRun?: { workflow: string; runName: string };
}

/**
 * The run-history view of an action: inputs/outputs hidden by runtimeConfiguration.secureData are
 * replaced by Azure's placeholder here, and only here, so expressions keep seeing the real values.
 */
export function actionRecord(action: CompiledAction, view: ActionResultView, extras: RecordExtras): ActionRecord {
  const rec: ActionRecord = {
    name: action.name,
    order: extras.order,
    type: action.type,
    status: view.status,
    code: view.code,
    startTime: view.startTime,
    actionTrackingId: view.trackingId,
    clientTrackingId: view.clientTrackingId,
  };
  if (action.parent !== undefined) rec.parent = action.parent;
  if (view.endTime !== undefined) rec.endTime = view.endTime;
  if (view.inputs !== undefined) rec.inputs = action.secureInputs || action.hideInputs ? SECURE_PLACEHOLDER : view.inputs;
  if (view.outputs !== undefined) rec.outputs = action.secureOutputs || action.hideOutputs ? SECURE_PLACEHOLDER : view.outputs;
  if (action.secureInputs) rec.secureInputs = true;
  if (action.secureOutputs) rec.secureOutputs = true;
  if (view.error) rec.error = view.error;
  if (view.trackedProperties) rec.trackedProperties = view.trackedProperties;
  if (extras.retryHistory && extras.retryHistory.length > 0) rec.retryHistory = extras.retryHistory;
  if (extras.repetitionCount !== undefined) rec.repetitionCount = extras.repetitionCount;
  if (extras.iterationCount !== undefined) rec.iterationCount = extras.iterationCount;
  if (extras.childRun) rec.childRun = extras.childRun;
  return rec;
}

export function repetitionRecord(
  action: CompiledAction,
  view: ActionResultView,
  name: string,
  indexes: Array<{ scopeName: string; itemIndex: number }>,
  retryHistory?: RetryAttempt[],
): RepetitionRecord {
  const rec: RepetitionRecord = {
    action: action.name,
    name,
    repetitionIndexes: indexes,
    status: view.status,
    code: view.code,
    startTime: view.startTime,
    trackingId: view.trackingId,
  };
  if (view.endTime !== undefined) rec.endTime = view.endTime;
  if (view.inputs !== undefined) rec.inputs = action.secureInputs || action.hideInputs ? SECURE_PLACEHOLDER : view.inputs;
  if (view.outputs !== undefined) rec.outputs = action.secureOutputs || action.hideOutputs ? SECURE_PLACEHOLDER : view.outputs;
  if (view.error) rec.error = view.error;
  if (retryHistory && retryHistory.length > 0) rec.retryHistory = retryHistory;
  return rec;
}
