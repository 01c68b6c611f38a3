import { EMPTY_CONTEXT, type ExpressionContext } from './context.js';
import { UnsupportedFunctionError } from './errors.js';
import { evaluateTemplate } from './index.js';

/**
 * Runs the expression conformance vectors (the format of test/fixtures/conformance/expressions.jsonl) with
 * the comparison rules of its README: json = deep equality (numbers by value, key order ignored),
 * string = exact string, error = evaluation or parsing must fail ("contains" is advisory).
 */
export interface Vector {
  id: string;
  expression: string;
  expect: { kind: 'json'; value: unknown } | { kind: 'string'; value: string } | { kind: 'error'; contains?: string };
  source?: string;
  note?: string;
}

export interface VectorResult {
  id: string;
  expression: string;
  pass: boolean;
  /** Why it failed. */
  reason?: string;
  /** From XmlConversionTests: a runtime may refuse these. */
  xml: boolean;
  /** Failed because the function is declared unsupported (XML family). */
  unsupported: boolean;
  /** Error vectors that failed as required but with a message lacking the expected words. */
  messageMismatch?: string;
}

function numbersEqual(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

export function jsonDeepEqual(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'number' && typeof expected === 'number') return numbersEqual(actual, expected);
  if (actual === null || expected === null || typeof actual !== 'object' || typeof expected !== 'object') return actual === expected;
  if (Array.isArray(actual) !== Array.isArray(expected)) return false;
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.length === expected.length && actual.every((v, i) => jsonDeepEqual(v, expected[i]));
  }
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  const keys = Object.keys(a);
  return keys.length === Object.keys(e).length && keys.every((k) => Object.prototype.hasOwnProperty.call(e, k) && jsonDeepEqual(a[k], e[k]));
}

function show(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

export function runVector(vector: Vector, ctx: ExpressionContext = EMPTY_CONTEXT): VectorResult {
  const xml = (vector.source ?? '').includes('XmlConversionTests');
  const base = { id: vector.id, expression: vector.expression, xml, unsupported: false };
  let value: unknown;
  try {
    value = evaluateTemplate(vector.expression, ctx);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (vector.expect.kind === 'error') {
      const contains = vector.expect.contains ?? '';
      return contains && !message.includes(contains)
        ? { ...base, pass: true, messageMismatch: `expected the message to contain ${show(contains)}, got ${show(message)}` }
        : { ...base, pass: true };
    }
    return { ...base, pass: false, unsupported: err instanceof UnsupportedFunctionError, reason: `threw: ${message}` };
  }
  switch (vector.expect.kind) {
    case 'error':
      return { ...base, pass: false, reason: `expected an error, got ${show(value)}` };
    case 'string':
      return value === vector.expect.value
        ? { ...base, pass: true }
        : { ...base, pass: false, reason: `expected the string ${show(vector.expect.value)}, got ${show(value)}` };
    case 'json':
      return jsonDeepEqual(value, vector.expect.value)
        ? { ...base, pass: true }
        : { ...base, pass: false, reason: `expected ${show(vector.expect.value)}, got ${show(value)}` };
  }
}

/** Parses JSONL lines (blank lines ignored) and runs each vector. */
export function runVectors(lines: string[], ctx: ExpressionContext = EMPTY_CONTEXT): VectorResult[] {
  return lines
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l, i) => {
      let vector: Vector;
      try {
        vector = JSON.parse(l) as Vector;
      } catch (err) {
        return { id: `line ${i + 1}`, expression: l, pass: false, xml: false, unsupported: false, reason: `not a JSON vector: ${String(err)}` };
      }
      return runVector(vector, ctx);
    });
}

export interface ConformanceSummary {
  total: number;
  passed: number;
  failed: number;
  nonXmlTotal: number;
  nonXmlPassed: number;
  messageMismatches: number;
}

export function summarize(results: VectorResult[]): ConformanceSummary {
  const nonXml = results.filter((r) => !r.xml);
  return {
    total: results.length,
    passed: results.filter((r) => r.pass).length,
    failed: results.filter((r) => !r.pass).length,
    nonXmlTotal: nonXml.length,
    nonXmlPassed: nonXml.filter((r) => r.pass).length,
    messageMismatches: results.filter((r) => r.messageMismatch).length,
  };
}
