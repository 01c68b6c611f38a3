import { evaluateTemplate, parseTemplate, type ExpressionContext } from '../expressions/index.js';
import type { TemplateNode } from '../expressions/ast.js';
import { asExpressionError } from '../expressions/errors.js';
import { evaluateParsed } from '../expressions/evaluator.js';
import { toExternal } from '../expressions/values.js';

/**
 * A workflow.json value prepared once per workflow: constant subtrees are kept as they are, and
 * template strings are parsed up front and held here, so a run only evaluates (no re-parsing and
 * no re-walking of literal JSON on every action). This keeps the per-action overhead low.
 */
export type CompiledValue = (ctx: ExpressionContext) => unknown;

/** True when a JSON string is a template the evaluator must see (`@expr`, `@{...}`, `@@`). */
export function isTemplate(text: string): boolean {
  return text.charCodeAt(0) === 64 /* @ */ || text.includes('@{');
}

/** Whether any string (or object key) inside the value is a template. */
export function hasTemplates(value: unknown): boolean {
  if (typeof value === 'string') return isTemplate(value);
  if (Array.isArray(value)) return value.some(hasTemplates);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => k.includes('@') || hasTemplates(v));
  }
  return false;
}

/** Converts evaluator results (already plain JSON) defensively: bigint never leaves the engine. */
export function toJsonValue(value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

function compileString(text: string): CompiledValue {
  let node: TemplateNode;
  try {
    node = parseTemplate(text);
  } catch {
    // Invalid syntax is refused at load; if it slips through, fail at run time with the parser's message.
    return (ctx) => evaluateTemplate(text, ctx);
  }
  if (node.kind === 'literal') {
    const literal = node.text;
    return () => literal;
  }
  return (ctx) => {
    try {
      return toExternal(evaluateParsed(node, ctx));
    } catch (err) {
      throw asExpressionError(err);
    }
  };
}

export function compileValue(value: unknown): CompiledValue {
  if (!hasTemplates(value)) return () => value;
  if (typeof value === 'string') return compileString(value);
  if (Array.isArray(value)) {
    const parts = value.map(compileValue);
    return (ctx) => parts.map((p) => p(ctx));
  }
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([k, v]) => [k, k.includes('@') ? compileString(k) : undefined, compileValue(v)] as const,
  );
  return (ctx) => {
    const out: Record<string, unknown> = {};
    for (const [k, key, c] of entries) {
      const name = key ? key(ctx) : k;
      out[typeof name === 'string' ? name : JSON.stringify(name)] = c(ctx);
    }
    return out;
  };
}
