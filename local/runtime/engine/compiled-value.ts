import { evaluateTemplate } from '../expressions/index.js';
import type { ExpressionContext } from '../expressions/context.js';

/**
 * A workflow.json value prepared once per workflow: constant subtrees are kept as they are and
 * only strings holding expressions go through the evaluator at run time. This is what keeps the
 * per-action overhead low (no re-walking or re-testing of literal JSON on every run).
 */
export type CompiledValue = (ctx: ExpressionContext) => unknown;

/** True when a JSON string is a template the evaluator must see (`@expr`, `@{...}`, `@@`). */
export function isTemplate(text: string): boolean {
  return text.charCodeAt(0) === 64 /* @ */ || text.includes('@{');
}

/** Whether any string inside the value is a template. */
export function hasTemplates(value: unknown): boolean {
  if (typeof value === 'string') return isTemplate(value);
  if (Array.isArray(value)) return value.some(hasTemplates);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasTemplates);
  return false;
}

/**
 * Converts evaluator results to plain JSON values: the evaluator keeps integers as bigint (int64),
 * while records, HTTP bodies and JavaScript code need JSON numbers.
 */
export function toJsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : n;
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      const c = toJsonValue(v);
      if (c !== v) {
        copy ??= value.slice();
        copy[i] = c;
      }
    }
    return copy ?? value;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    let copy: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      const c = toJsonValue(v);
      if (c !== v) {
        copy ??= { ...(value as Record<string, unknown>) };
        copy[k] = c;
      }
    }
    return copy ?? value;
  }
  return value;
}

export function compileValue(value: unknown): CompiledValue {
  if (!hasTemplates(value)) return () => value;
  if (typeof value === 'string') return (ctx) => toJsonValue(evaluateTemplate(value, ctx));
  if (Array.isArray(value)) {
    const parts = value.map(compileValue);
    return (ctx) => parts.map((p) => p(ctx));
  }
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, compileValue(v)] as const);
  return (ctx) => {
    const out: Record<string, unknown> = {};
    for (const [k, c] of entries) out[k] = c(ctx);
    return out;
  };
}
