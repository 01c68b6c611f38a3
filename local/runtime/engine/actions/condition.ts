import { evaluateTemplate } from '../../expressions/index.js';
import type { ExpressionContext } from '../../expressions/context.js';
import { compileValue, toJsonValue, type CompiledValue } from '../compiled-value.js';

/**
 * The If action's `expression`: either a template string ("@equals(...)") or the designer's object
 * form ({"and":[{"equals":["@a","b"]}]}) where each key is a WDL function and its value the
 * argument list. Object-form calls are evaluated by the expression language itself, with the
 * already-evaluated arguments passed as literals, so semantics (case rules, type coercion) match.
 */
export function compileCondition(raw: unknown): CompiledValue {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return compileValue(raw);
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length !== 1) {
    return () => {
      throw new Error(`A condition object must have exactly one function name as key, found ${entries.length}.`);
    };
  }
  const [fn, argsRaw] = entries[0] as [string, unknown];
  const args = (Array.isArray(argsRaw) ? argsRaw : [argsRaw]).map((a) =>
    a !== null && typeof a === 'object' && !Array.isArray(a) ? compileCondition(a) : compileValue(a),
  );
  const lower = fn.toLowerCase();
  if (lower === 'and') return (ctx) => args.every((a) => a(ctx) === true);
  if (lower === 'or') return (ctx) => args.some((a) => a(ctx) === true);
  if (lower === 'not') return (ctx) => args[0]?.(ctx) !== true;
  return (ctx: ExpressionContext) => {
    const literals = args.map((a) => literal(a(ctx))).join(',');
    return toJsonValue(evaluateTemplate(`@${fn}(${literals})`, ctx));
  };
}

/** A WDL literal producing the given JSON value. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0) return String(value);
    return Number.isInteger(value) ? `int('${value}')` : `float('${value}')`;
  }
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  return `json('${JSON.stringify(value).replace(/'/g, "''")}')`;
}
