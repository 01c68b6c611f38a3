import type { ExpressionContext } from './context.js';
import { asExpressionError, ExpressionError } from './errors.js';
import { arityMessage } from './functions/args.js';
import { lookupFunction } from './functions/registry.js';
import { parseTemplateCached } from './template-cache.js';
import { evaluateParsed } from './evaluator.js';
import { toExternal, toInternal, type Value } from './values.js';

/**
 * The object form of If/Until conditions: `{"and": [{"not": {"equals": [{"lENgth": ["a"]}, 2]}}, ...]}`.
 * A one-key object whose key names a function (any case) is a call; its value is the argument
 * list (a lone non-array value is one argument). Strings are templates; anything else is a literal.
 */
function evaluateArg(value: unknown, ctx: ExpressionContext): Value {
  if (typeof value === 'string') return evaluateParsed(parseTemplateCached(value), ctx);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const only = keys.length === 1 ? (keys[0] as string) : undefined;
    const def = only === undefined ? undefined : lookupFunction(only);
    if (only !== undefined && def) {
      const raw = (value as Record<string, unknown>)[only];
      const args = Array.isArray(raw) ? raw : [raw];
      if (args.length < def.minArgs || args.length > def.maxArgs) {
        throw new ExpressionError(arityMessage(only, def.minArgs, def.maxArgs, args.length));
      }
      const env = { ctx, name: only };
      if (def.lazy) return def.lazy(args.map((a) => () => evaluateArg(a, ctx)), env);
      if (!def.impl) throw new ExpressionError(`The function '${only}' cannot be used in a condition.`);
      return def.impl(args.map((a) => evaluateArg(a, ctx)), env);
    }
  }
  if (Array.isArray(value)) return value.map((x) => evaluateArg(x, ctx));
  return toInternal(value);
}

/** Evaluates an If/Until `expression` (template string or object form) to plain JSON. */
export function evaluateCondition(expression: unknown, ctx: ExpressionContext): unknown {
  try {
    return toExternal(evaluateArg(expression, ctx));
  } catch (err) {
    throw asExpressionError(err);
  }
}
