import vm from 'node:vm';
import { ActionFailure } from '../errors.js';
import { workflowObject } from '../expression-context.js';
import type { ActionExecutor } from './types.js';

/** Single-tenant inline code limit (logic-apps-standard.md §2.1). */
export const MAX_CODE_LENGTH = 100_000;

/**
 * Builds the read-only workflowContext inside the sandbox's own realm from JSON text, so the code
 * never holds a host object (whose constructor chain would lead back to the host's Function).
 */
const PRELUDE = `
'use strict';
const __freeze = (o) => { if (o && typeof o === 'object' && !Object.isFrozen(o)) { Object.freeze(o); for (const k of Object.keys(o)) __freeze(o[k]); } return o; };
globalThis.workflowContext = __freeze(JSON.parse(__contextJson));
delete globalThis.__contextJson;
`;

/**
 * JavaScriptCode (Execute JavaScript Code): runs the code in a fresh node:vm context with only a
 * deep-frozen workflowContext {actions, trigger, workflow}; no require, process, import or timers.
 * The return value becomes outputs.body; a thrown error fails the action with its message.
 */
export const javaScriptCode: ActionExecutor = async (ctx) => {
  const inputs = (ctx.evaluateInputs() ?? {}) as { code?: unknown; explicitDependencies?: unknown };
  const code = typeof inputs.code === 'string' ? inputs.code : '';
  if (code.length > MAX_CODE_LENGTH) {
    throw new ActionFailure('InlineCodeTooLarge', `The code of action '${ctx.action.name}' has ${code.length} characters; the limit is ${MAX_CODE_LENGTH}.`);
  }
  const run = ctx.run;
  const workflowContext = { actions: ctx.frame.allResults(), trigger: run.triggerObject, workflow: workflowObject(run) };
  const sandbox = vm.createContext(Object.create(null) as object, {
    codeGeneration: { strings: false, wasm: false },
    microtaskMode: 'afterEvaluate',
  });
  const timeout = run.shared.limits.javaScriptTimeoutMs;
  const box = sandbox as Record<string, unknown>;
  try {
    box.__contextJson = JSON.stringify(workflowContext);
    new vm.Script(PRELUDE).runInContext(sandbox, { timeout });
    // microtaskMode 'afterEvaluate' drains the code's promise jobs inside the same timed evaluation,
    // so awaiting code is bounded by the limit too and has settled when runInContext returns.
    new vm.Script(`(async function () {\n'use strict';\n${code}\n})().then(${SETTLE});`, { filename: `${ctx.action.name}.js` })
      .runInContext(sandbox, { timeout });
  } catch (err) {
    const timedOut = (err as { code?: unknown })?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
    const message = err && typeof err === 'object' && 'message' in err ? String((err as { message: unknown }).message) : String(err);
    throw new ActionFailure(
      timedOut ? 'InlineCodeTimedOut' : 'InlineCodeScriptFailed',
      timedOut
        ? `The inline code of action '${ctx.action.name}' did not finish within ${timeout / 1000} seconds.`
        : `The inline code of action '${ctx.action.name}' failed: ${message}`,
    );
  }
  if (box.__done !== true) {
    throw new ActionFailure('InlineCodeScriptFailed', `The inline code of action '${ctx.action.name}' returned a promise that never settled.`);
  }
  if (typeof box.__error === 'string') {
    throw new ActionFailure('InlineCodeScriptFailed', `The inline code of action '${ctx.action.name}' failed: ${box.__error}`);
  }
  const body = typeof box.__result === 'string' ? (JSON.parse(box.__result) as unknown) : null;
  const recorded: Record<string, unknown> = { code };
  if (inputs.explicitDependencies !== undefined) recorded.explicitDependencies = inputs.explicitDependencies;
  return { code: 'OK', inputs: recorded, outputs: { body } };
};

/** Settles the code's promise into plain strings on the sandbox global (no objects cross realms). */
const SETTLE = `(v) => { globalThis.__done = true; try { globalThis.__result = v === undefined ? undefined : JSON.stringify(v); } catch (e) { globalThis.__error = 'The return value cannot be serialized to JSON: ' + String(e && e.message); } }, (e) => { globalThis.__done = true; globalThis.__error = e && e.message !== undefined ? String(e.message) : String(e); }`;
