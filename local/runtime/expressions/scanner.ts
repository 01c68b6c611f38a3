import { ExpressionError } from './errors.js';

/** Tokens of the expression language (the text after `@` or inside `@{...}`). */
export type Token =
  | { type: 'identifier'; text: string; pos: number }
  | { type: 'string'; value: string; pos: number }
  | { type: 'integer'; value: bigint; pos: number }
  | { type: 'float'; value: number; pos: number }
  | { type: 'punct'; text: '(' | ')' | '[' | ']' | ',' | '.' | '?'; pos: number }
  | { type: 'end'; pos: number };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Number literals as the host lexes them: optional sign, digits, an optional '.' with optional digits
 * ("1." and "+.5" are floats), optional exponent (IllogicApps BasicLanguageTests, recorded from the host).
 */
const NUMBER = /[+-]?[0-9]*(\.[0-9]*)?([eE][+-]?[0-9]+)?/y;

const LETTER = /\p{L}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

// Character-code checks: the scanner runs for every template of every run, so ASCII stays off the regex path.
function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isIdentStart(c: string): boolean {
  const code = c.charCodeAt(0);
  if (isAsciiLetter(code) || code === 95 || code === 36) return true;
  return code > 127 && LETTER.test(c);
}

function isIdentPart(c: string): boolean {
  const code = c.charCodeAt(0);
  if (isAsciiLetter(code) || isDigit(code) || code === 95 || code === 36 || code === 45) return true;
  return code > 127 && LETTER_OR_DIGIT.test(c);
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 160 || code === 0xfeff;
}

export function invalid(expression: string, pos: number, reason: string): ExpressionError {
  return new ExpressionError(
    `The template language expression '${expression}' is not valid: ${reason} at position ${pos}.`,
    'InvalidTemplate',
  );
}

/** Splits one expression into tokens; numbers carry their sign so `-5` is one literal. */
export function scan(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const c = expression[i] as string;
    const code = expression.charCodeAt(i);
    if (isSpace(code)) {
      i++;
      continue;
    }
    if (c === "'") {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        const close = expression.indexOf("'", i);
        if (close < 0) throw invalid(expression, start, 'the string literal is not terminated');
        value += expression.slice(i, close);
        if (expression[close + 1] === "'") {
          // '' inside a literal is one quote.
          value += "'";
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      tokens.push({ type: 'string', value, pos: start });
      continue;
    }
    const signed = c === '+' || c === '-';
    const afterSign = signed ? i + 1 : i;
    const startsNumber =
      isDigit(expression.charCodeAt(afterSign)) || (signed && expression[afterSign] === '.' && isDigit(expression.charCodeAt(afterSign + 1)));
    if (startsNumber) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(expression);
      if (!m) throw invalid(expression, i, 'the number is not valid');
      const text = m[0];
      const next = expression[i + text.length] ?? '';
      // "1e", "1e1.1" and "1abc" are malformed numbers, not a number followed by something.
      if (/[A-Za-z0-9_]/.test(next) || (next === '.' && /[eE.]/.test(text))) {
        throw invalid(expression, i, `the number '${text}${next}' is not valid`);
      }
      if (m[1] === undefined && m[2] === undefined) {
        const value = BigInt(text);
        if (value < INT64_MIN || value > INT64_MAX) {
          throw invalid(expression, i, `the integer '${text}' is outside the 64-bit range`);
        }
        tokens.push({ type: 'integer', value, pos: i });
      } else {
        tokens.push({ type: 'float', value: Number(text), pos: i });
      }
      i += text.length;
      continue;
    }
    if (isIdentStart(c)) {
      const start = i;
      i++;
      while (i < expression.length && isIdentPart(expression[i] as string)) i++;
      tokens.push({ type: 'identifier', text: expression.slice(start, i), pos: start });
      continue;
    }
    if (c === '(' || c === ')' || c === '[' || c === ']' || c === ',' || c === '.' || c === '?') {
      tokens.push({ type: 'punct', text: c, pos: i });
      i++;
      continue;
    }
    throw invalid(expression, i, `the character '${c}' is not expected`);
  }
  tokens.push({ type: 'end', pos: expression.length });
  return tokens;
}
