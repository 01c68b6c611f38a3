import { ExpressionError } from '../../errors.js';

/** XPath 1.0 tokens, with the spec's rules for telling '*' and names apart from operators. */
export type XToken =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'name'; v: string }
  | { t: 'op'; v: string }
  | { t: 'end' };

export function xpathError(xpath: string, reason: string): ExpressionError {
  return new ExpressionError(`The XPath expression '${xpath}' is not valid: ${reason}.`);
}

const OPERATOR_NAMES = new Set(['and', 'or', 'div', 'mod']);

export function lexXPath(src: string): XToken[] {
  const out: XToken[] = [];
  let i = 0;
  // After these, '*' and and/or/div/mod are node tests/names rather than operators.
  const precedingAllowsOperator = (): boolean => {
    const prev = out[out.length - 1];
    if (!prev) return false;
    if (prev.t === 'op') return prev.v === ')' || prev.v === ']' || prev.v === '.' || prev.v === '..' || prev.v === '*name';
    return true;
  };
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['//', '::', '..', '!=', '<=', '>='].includes(two)) {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw xpathError(src, 'a string literal is not terminated');
      out.push({ t: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^[0-9]*\.?[0-9]*/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    if (c === '*') {
      // A '*' that is a node test is recorded as '*name' so a following '*' reads as multiply.
      out.push({ t: 'op', v: precedingAllowsOperator() ? '*' : '*name' });
      i++;
      continue;
    }
    if ('/()[]@,|+-=<>.$'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    const m = /^[A-Za-z_\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*(?::(?:[A-Za-z_\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*|\*))?/.exec(src.slice(i));
    if (!m) throw xpathError(src, `unexpected character '${c}'`);
    const name = m[0];
    i += name.length;
    if (OPERATOR_NAMES.has(name) && precedingAllowsOperator()) out.push({ t: 'op', v: name });
    else out.push({ t: 'name', v: name });
  }
  out.push({ t: 'end' });
  return out;
}
