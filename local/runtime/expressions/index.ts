/**
 * Workflow Definition Language for the local Logic Apps Standard runtime: parse template
 * strings, evaluate them against a run (ExpressionContext), and analyse them at load time.
 */
import type { TemplateNode } from './ast.js';
import type { ExpressionContext } from './context.js';
import { asExpressionError } from './errors.js';
import { evaluateParsed } from './evaluator.js';
import { lookupFunction } from './functions/registry.js';
import { parseTemplate as parse } from './parser.js';
import { parseTemplateCached } from './template-cache.js';
import { setOwn, stringify, toExternal, toInternal } from './values.js';

export type { ExpressionNode, TemplateNode, Dereference, FunctionCallNode, LiteralNode, InterpolationSegment } from './ast.js';
export type { ExpressionContext } from './context.js';
export { EMPTY_CONTEXT } from './context.js';
export { ExpressionError, UnsupportedFunctionError } from './errors.js';
export { analyzeTemplate, analyzeValue, type TemplateAnalysis } from './analyze.js';
export { evaluateCondition } from './condition.js';
export { parseIsoDurationMs, formatTimeSpanConstant } from './datetime/timespan.js';
export { knownTimeZoneIds } from './datetime/timezones.js';

/** Parses a JSON string value into its template form; throws ExpressionError("InvalidTemplate"). */
export function parseTemplate(text: string): TemplateNode {
  return parse(text);
}

/** Evaluates one string: `@expr` keeps the JSON type, `@{...}` yields a string, anything else is literal. */
export function evaluateTemplate(text: string, ctx: ExpressionContext): unknown {
  try {
    return toExternal(evaluateParsed(parseTemplateCached(text), ctx));
  } catch (err) {
    throw asExpressionError(err);
  }
}

/** Evaluates every string of a JSON value (and object keys that contain '@'), returning plain JSON. */
export function evaluateValue(value: unknown, ctx: ExpressionContext): unknown {
  if (typeof value === 'string') return evaluateTemplate(value, ctx);
  if (Array.isArray(value)) return value.map((v) => evaluateValue(v, ctx));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = k.includes('@') ? keyText(evaluateTemplate(k, ctx)) : k;
      setOwn(out, key, evaluateValue(v, ctx));
    }
    return out;
  }
  return value;
}

function keyText(v: unknown): string {
  return typeof v === 'string' ? v : stringify(toInternal(v));
}

export function isKnownFunction(name: string): boolean {
  return lookupFunction(name) !== undefined;
}

export function isSupportedFunction(name: string): boolean {
  const def = lookupFunction(name);
  return def !== undefined && !def.unsupported;
}
