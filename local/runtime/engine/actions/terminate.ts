import type { RunStatus } from '../../model.js';
import type { ActionExecutor } from './types.js';

const STATUSES: Record<string, RunStatus> = { failed: 'Failed', cancelled: 'Cancelled', succeeded: 'Succeeded' };

/**
 * Terminate: ends the run with runStatus (and runError when Failed). Running actions are cancelled
 * once this action has been recorded, and nothing new starts.
 */
export const terminate: ActionExecutor = async (ctx) => {
  const inputs = (ctx.evaluateInputs() ?? {}) as { runStatus?: unknown; runError?: { code?: unknown; message?: unknown } };
  const status = STATUSES[String(inputs.runStatus ?? 'Failed').toLowerCase()] ?? 'Failed';
  const terminated: { status: RunStatus; error?: { code: string; message: string } } = { status };
  if (status === 'Failed') {
    terminated.error = {
      code: String(inputs.runError?.code ?? 'Terminated'),
      message: String(inputs.runError?.message ?? 'The run was terminated with status Failed.'),
    };
  }
  ctx.run.terminated ??= terminated;
  setImmediate(() => ctx.run.abort.abort('terminated'));
  return { code: 'OK', inputs };
};
