import { describe, expect, it } from 'vitest';
import { ExpressionError, parseTemplate } from '../../../local/runtime/expressions/index.js';

describe('parseTemplate', () => {
  it('treats strings without @ or @{ as literals', () => {
    expect(parseTemplate('hello')).toEqual({ kind: 'literal', text: 'hello' });
    expect(parseTemplate(' @x')).toEqual({ kind: 'literal', text: ' @x' });
    expect(parseTemplate('@')).toEqual({ kind: 'literal', text: '@' });
  });

  it('unescapes a leading @@ and keeps the rest verbatim', () => {
    expect(parseTemplate("@@{'a'}@{'b'}")).toEqual({ kind: 'literal', text: "@{'a'}@{'b'}" });
  });

  it('parses a whole-value expression with function calls, literals and dereferences', () => {
    const t = parseTemplate("@triggerBody()?['fields'].upn");
    expect(t.kind).toBe('expression');
    if (t.kind !== 'expression') return;
    expect(t.expression).toMatchObject({
      kind: 'call',
      name: 'triggerBody',
      args: [],
      dereferences: [
        { safe: true, dot: false, key: { kind: 'literal', value: 'fields' } },
        { safe: false, dot: true, key: { kind: 'literal', value: 'upn' } },
      ],
    });
  });

  it('distinguishes integers (bigint) from floats and reads signs', () => {
    const lit = (text: string) => {
      const t = parseTemplate(text);
      return t.kind === 'expression' && t.expression.kind === 'literal' ? t.expression.value : undefined;
    };
    expect(lit('@42')).toBe(42n);
    expect(lit('@-7')).toBe(-7n);
    expect(lit('@1.5')).toBe(1.5);
    expect(lit('@2e3')).toBe(2000);
    expect(lit("@'it''s'")).toBe("it's");
    expect(lit('@TRUE')).toBe(true);
    expect(lit('@null')).toBe(null);
  });

  it('splits interpolations, skipping braces inside string literals and unescaping @@', () => {
    const t = parseTemplate("Hi @{concat('}', 'x')} @@{not} done");
    expect(t.kind).toBe('interpolation');
    if (t.kind !== 'interpolation') return;
    expect(t.segments.map((s) => s.kind)).toEqual(['text', 'expression', 'text']);
    expect(t.segments[2]).toEqual({ kind: 'text', text: ' @{not} done' });
  });

  it.each([
    ['@concat', 'must be followed by'],
    ['@()', 'expected a value'],
    ["@concat('a','b')('c')", "unexpected '('"],
    ['@1e', "the number '1e' is not valid"],
    ['@{--1}', "character '-'"],
    ['@{9223372036854775808}', 'outside the 64-bit range'],
    ["@concat('a'", "expected ')'"],
    ["@'abc", 'not terminated'],
    ["x @{'a'", "is not closed"],
    ['@foo()?bar', "expected '.' or '['"],
  ])('rejects %s with InvalidTemplate naming the problem', (text, words) => {
    try {
      parseTemplate(text);
      expect.unreachable(`${text} should not parse`);
    } catch (err) {
      expect(err).toBeInstanceOf(ExpressionError);
      const e = err as ExpressionError;
      expect(e.code).toBe('InvalidTemplate');
      expect(e.message).toContain(words);
      expect(e.message).toMatch(/at position \d+/);
    }
  });

  it('names the position of the offending token', () => {
    expect(() => parseTemplate("@concat('a',,'b')")).toThrow(/concat\('a',,'b'\)' is not valid: .* at position 11/);
  });
});
