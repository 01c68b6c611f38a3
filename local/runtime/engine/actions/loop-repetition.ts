import { randomUUID } from 'node:crypto';
import type { ActionStatus } from '../../model.js';
import type { Frame } from '../frame.js';
import type { RunState } from '../run-state.js';

/**
 * Records one iteration of a Foreach/Until as a repetition of the loop action itself (what Azure
 * serves as the loop's scopeRepetitions), so the history can show each iteration's status.
 */
export function saveLoopIteration(run: RunState, loop: string, frame: Frame, status: ActionStatus, startTime: string): void {
  if (run.suspended) return;
  const failed = status !== 'Succeeded';
  run.shared.history.saveRepetition(run.workflowName, run.record.name, {
    action: loop,
    name: run.nextRepetitionName(loop),
    repetitionIndexes: frame.repetitionIndexes(),
    status: failed ? 'Failed' : 'Succeeded',
    code: failed ? 'ActionFailed' : 'NotSpecified',
    startTime,
    endTime: run.now(),
    trackingId: randomUUID(),
    ...(failed ? { error: { code: 'ActionFailed', message: 'An action failed. No dependent actions succeeded.' } } : {}),
  });
}
