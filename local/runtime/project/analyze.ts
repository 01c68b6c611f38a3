import { analyzeValue } from '../expressions/index.js';

/** Names referenced by the expressions inside a JSON value, as plain arrays. */
export interface References {
  functions: string[];
  actionRefs: string[];
  variableRefs: string[];
  loopRefs: string[];
  parameterRefs: string[];
  appsettingRefs: string[];
}

function names(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [v];
  if (typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function') return Array.from(v as Iterable<unknown>, String);
  return [];
}

/** analyzeValue with its result normalised; throws the expression error for invalid syntax. */
export function references(value: unknown): References {
  const r = analyzeValue(value) as unknown as Record<string, unknown>;
  return {
    functions: names(r.functions),
    actionRefs: names(r.actionRefs),
    variableRefs: names(r.variableRefs),
    loopRefs: names(r.loopRefs),
    parameterRefs: names(r.parameterRefs),
    appsettingRefs: names(r.appsettingRefs),
  };
}
