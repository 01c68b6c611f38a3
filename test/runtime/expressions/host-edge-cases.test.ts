import { describe, expect, it } from 'vitest';
import { EMPTY_CONTEXT, evaluateTemplate } from '../../../local/runtime/expressions/index.js';

/**
 * Edges of the expression language where the public conformance vectors are silent. Each expected value is the
 * real Logic Apps Standard host's answer: undocumented on Microsoft Learn, observed on the real host as shown here
 * (the answers are recorded in the host traces of the public-domain simulator github.com/ScoreUnder/IllogicApps).
 * Where Learn documents the function, its reference page is
 * https://learn.microsoft.com/azure/logic-apps/workflow-definition-language-functions-reference.
 */
const ev = (text: string) => evaluateTemplate(text, EMPTY_CONTEXT);
const refused = (text: string) => expect(() => ev(text), text).toThrow();

describe('numeric literal grammar (undocumented: observed on the real host)', () => {
  it('accepts a leading + and a bare trailing or leading decimal point', () => {
    expect(ev('@+.5')).toBe(0.5);
    expect(ev('@+1.')).toBe(1);
    expect(ev('@{+54}')).toBe('54');
    expect(ev('@{3.2e-1}')).toBe('0.32');
    expect(ev('@{0.9e+1}')).toBe('9');
  });
  it('refuses a sign without digits, a doubled sign, or an incomplete exponent', () => {
    for (const text of ['@+', '@++1', '@--1', '@1e', '@1e+', '@1e1.1']) refused(text);
  });
});

describe('numbers at the edges of int64 and double (undocumented: observed on the real host)', () => {
  it('int() of a string goes through a double, so values below the int64 range clamp to its minimum', () => {
    expect(ev("@{int('-9223372036854775809')}")).toBe('-9223372036854775808');
    expect(ev("@{int('-9223372036854775809.05')}")).toBe('-9223372036854775808');
    expect(ev("@{int('100000000000000010')}")).toBe('100000000000000016');
  });
  it('int() refuses fractions, text with a trailing sign and values above the int64 range', () => {
    for (const text of ["@int('1.5')", '@int(2.5)', "@{int('  200- ')}", "@int('9223372036854775808')", "@int('3e50')"]) refused(text);
  });
  it('doubles overflow to Infinity and print the way .NET prints them', () => {
    expect(ev("@{float('1.7e+350')}")).toBe('Infinity');
    expect(ev("@{float('-1e400')}")).toBe('-Infinity');
    expect(ev("@{float('5e-324')}")).toBe('5E-324');
    expect(ev('@{9223372036854775809.5}')).toBe('9.223372036854776E+18');
    expect(ev('@{mul(1e308, 2)}')).toBe('Infinity');
  });
  it("float('Infinity') parses only with the invariant culture given explicitly", () => {
    expect(ev("@{float('Infinity','')}")).toBe('Infinity');
    refused("@{float('Infinity')}");
  });
  it('integer arithmetic that leaves int64 is an error, not a wrapped value', () => {
    refused('@{add(9223372036854775807, 1)}');
    refused('@{mul(4294967295, 4294967295)}');
    expect(ev('@{add(2147483647, 1)}')).toBe('2147483648');
  });
});

describe('binary() and dataUri() of values that are not strings (undocumented: observed on the real host)', () => {
  it('booleans become the .NET words True and False', () => {
    const decoded = (v: unknown) => Buffer.from(String((v as Record<string, unknown>)['$content']), 'base64').toString('utf8');
    expect(decoded(ev('@binary(true)'))).toBe('True');
    expect(decoded(ev('@binary(false)'))).toBe('False');
    expect(String(ev('@{dataUri(true)}'))).toBe(`data:application/json;charset=utf-8;base64,${Buffer.from('True').toString('base64')}`);
  });
  it('null is refused', () => {
    refused('@binary(null)');
    refused('@{dataUri(null)}');
  });
});

describe('casing is culture-invariant (undocumented: observed on the real host)', () => {
  it('leaves the Turkish dotless and dotted i alone and maps the rest', () => {
    expect(ev("@toLower('ıIiİçÇğĞ')")).toBe('ıiiİççğğ');
    expect(ev("@toUpper('ıIiİçÇğĞ')")).toBe('ıIIİÇÇĞĞ');
  });
  it('does not expand ß', () => {
    expect(ev("@toUpper('straße')")).toBe('STRAßE');
  });
});

describe('collections and text (undocumented: observed on the real host)', () => {
  it("first('') and last('') are empty strings", () => {
    expect(ev("@setProperty(json('{}'),'value',first(''))")).toEqual({ value: '' });
    expect(ev("@setProperty(json('{}'),'value',last(''))")).toEqual({ value: '' });
    expect(ev("@setProperty(json('{}'),'value',first(json('[]')))")).toEqual({ value: null });
  });
  it('join() with a null separator is an error; non-string items print as .NET prints them', () => {
    refused("@join(createArray('a','b'), null)");
    expect(ev("@join(createArray('',true,''),'x')")).toBe('xTruex');
    expect(ev("@join(createArray('',null,''),'x')")).toBe('xx');
  });
  it('xpath() needs an XML value, not a string that looks like XML', () => {
    refused("@xpath('<r><a>x</a></r>','/r/*')");
  });
});
