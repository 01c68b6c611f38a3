import type { ActionRecord, RunRecord } from '../../../local/runtime/model.js';

/** Builds a run record as the engine would save it, with overrides. */
export function runRecord(overrides: Partial<RunRecord> & { name: string }): RunRecord {
  return {
    workflow: 'wf',
    status: 'Succeeded',
    startTime: '2026-01-01T00:00:00.000Z',
    clientTrackingId: overrides.name,
    correlationId: `corr-${overrides.name}`,
    trigger: { name: 'manual', type: 'Request', status: 'Succeeded', code: 'OK', startTime: '2026-01-01T00:00:00.000Z' },
    version: 'v1',
    ...overrides,
  };
}

export function actionRecord(overrides: Partial<ActionRecord> & { name: string; order: number }): ActionRecord {
  return {
    type: 'Compose',
    status: 'Succeeded',
    code: 'OK',
    startTime: '2026-01-01T00:00:00.000Z',
    actionTrackingId: `track-${overrides.name}`,
    ...overrides,
  };
}
