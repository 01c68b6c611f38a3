import type { ExpressionContext } from '../context.js';
import { ExpressionError } from '../errors.js';
import { toInternal, type Value } from '../values.js';
import { intNum, str } from './args.js';
import { formValue, formValues, multipartPart } from './form-data.js';
import { fn, type FunctionDef } from './types.js';

/** Workflow functions: everything that reads the run through the ExpressionContext. */

function field(v: unknown, key: string): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const obj = v as Record<string, unknown>;
  if (key in obj) return obj[key];
  const found = Object.keys(obj).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : obj[found];
}

function outputsOf(ctx: ExpressionContext, name: string): unknown {
  return field(ctx.actions(name), 'outputs');
}

function bodyOf(ctx: ExpressionContext, name: string): unknown {
  return field(outputsOf(ctx, name), 'body');
}

function triggerBody(ctx: ExpressionContext): unknown {
  return field(field(ctx.trigger(), 'outputs'), 'body');
}

function optional(ctx: ExpressionContext, fnName: 'action' | 'listCallbackUrl'): unknown {
  const f = ctx[fnName];
  if (!f) throw new ExpressionError(`The template function '${fnName}' is not available in this context.`);
  return f.call(ctx);
}

export const workflowFunctions: FunctionDef[] = [
  fn('parameters', 1, 1, (args, env) => toInternal(env.ctx.parameters(str(env.name, args, 0)))),
  fn('appsetting', 1, 1, (args, env) => toInternal(env.ctx.appsetting(str(env.name, args, 0)))),
  fn('trigger', 0, 0, (_args, env) => toInternal(env.ctx.trigger())),
  fn('triggerOutputs', 0, 0, (_args, env) => toInternal(field(env.ctx.trigger(), 'outputs'))),
  fn('triggerBody', 0, 0, (_args, env) => toInternal(triggerBody(env.ctx))),
  fn('actions', 1, 1, (args, env) => toInternal(env.ctx.actions(str(env.name, args, 0)))),
  fn('action', 0, 0, (_args, env) => toInternal(optional(env.ctx, 'action'))),
  fn('outputs', 1, 1, (args, env) => toInternal(outputsOf(env.ctx, str(env.name, args, 0)))),
  fn('actionOutputs', 1, 1, (args, env) => toInternal(outputsOf(env.ctx, str(env.name, args, 0)))),
  fn('body', 1, 1, (args, env) => toInternal(bodyOf(env.ctx, str(env.name, args, 0)))),
  fn('actionBody', 1, 1, (args, env) => toInternal(bodyOf(env.ctx, str(env.name, args, 0)))),
  fn('result', 1, 1, (args, env) => toInternal(env.ctx.result(str(env.name, args, 0)))),
  fn('variables', 1, 1, (args, env) => toInternal(env.ctx.variables(str(env.name, args, 0)))),
  fn('item', 0, 0, (_args, env) => toInternal(env.ctx.item())),
  fn('items', 1, 1, (args, env) => toInternal(env.ctx.items(str(env.name, args, 0)))),
  fn('iterationIndexes', 1, 1, (args, env) => toInternal(env.ctx.iterationIndexes(str(env.name, args, 0)))),
  fn('workflow', 0, 0, (_args, env) => toInternal(env.ctx.workflow())),
  fn('listCallbackUrl', 0, 0, (_args, env) => toInternal(optional(env.ctx, 'listCallbackUrl'))),
  fn('formDataValue', 2, 2, (args, env): Value =>
    formValue(env.name, bodyOf(env.ctx, str(env.name, args, 0)), str(env.name, args, 1)),
  ),
  fn('formDataMultiValues', 2, 2, (args, env): Value =>
    formValues(env.name, bodyOf(env.ctx, str(env.name, args, 0)), str(env.name, args, 1)),
  ),
  fn('multipartBody', 2, 2, (args, env) => multipartPart(env.name, bodyOf(env.ctx, str(env.name, args, 0)), intNum(env.name, args, 1))),
  fn('triggerFormDataValue', 1, 1, (args, env) => formValue(env.name, triggerBody(env.ctx), str(env.name, args, 0))),
  fn('triggerFormDataMultiValues', 1, 1, (args, env) => formValues(env.name, triggerBody(env.ctx), str(env.name, args, 0))),
  fn('triggerMultipartBody', 1, 1, (args, env) => multipartPart(env.name, triggerBody(env.ctx), intNum(env.name, args, 0))),
];
