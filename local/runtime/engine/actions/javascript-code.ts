import { ActionFailure } from '../errors.js';
import { workflowObject } from '../expression-context.js';
import type { ActionExecutor } from './types.js';
import { runInlineCode } from '../inline-code-pool.js';

/** Single-tenant inline code limit (https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#inline-code-action-limits). */
export const MAX_CODE_LENGTH = 100_000;

/**
 * JavaScriptCode (Execute JavaScript Code): runs the code in a worker thread (inline-code-pool.ts), in a
 * fresh node:vm context with only a deep-frozen workflowContext {actions, trigger, workflow}; no require,
 * process, import or timers. The return value becomes outputs.body; a thrown error fails the action with
 * its message; code still running at the limit fails with InlineCodeTimedOut and its worker is terminated.
 */
export const javaScriptCode: ActionExecutor = async (ctx) => {
  const inputs = (ctx.evaluateInputs() ?? {}) as { code?: unknown; explicitDependencies?: unknown };
  const code = typeof inputs.code === 'string' ? inputs.code : '';
  if (code.length > MAX_CODE_LENGTH) {
    throw new ActionFailure('InlineCodeTooLarge', `The code of action '${ctx.action.name}' has ${code.length} characters; the limit is ${MAX_CODE_LENGTH}.`);
  }
  const run = ctx.run;
  const workflowContext = { actions: ctx.frame.allResults(), trigger: run.triggerObject, workflow: workflowObject(run) };
  const timeout = run.shared.limits.javaScriptTimeoutMs;
  const answer = await runInlineCode(
    { code, contextJson: JSON.stringify(workflowContext), filename: `${ctx.action.name}.js`, timeoutMs: timeout },
    ctx.signal,
  );
  const name = ctx.action.name;
  if (answer.kind === 'timeout') {
    throw new ActionFailure('InlineCodeTimedOut', `The inline code of action '${name}' did not finish within ${timeout / 1000} seconds.`);
  }
  if (answer.kind === 'unsettled') {
    throw new ActionFailure('InlineCodeScriptFailed', `The inline code of action '${name}' returned a promise that never settled.`);
  }
  if (answer.kind === 'error') throw new ActionFailure('InlineCodeScriptFailed', `The inline code of action '${name}' failed: ${answer.message}`);
  const body = answer.json === undefined ? null : (JSON.parse(answer.json) as unknown);
  const recorded: Record<string, unknown> = { code };
  if (inputs.explicitDependencies !== undefined) recorded.explicitDependencies = inputs.explicitDependencies;
  return { code: 'OK', inputs: recorded, outputs: { body } };
};
