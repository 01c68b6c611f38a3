/**
 * Tokens of an OData $filter. Positions are kept so syntax errors can report what Graph reports:
 * the offset just past the offending token ("Syntax error at position 16 in 'name eq 'Bryan's Book''").
 */
/** 'bad' marks text that cannot start a token; the parser reports it when it gets there, as OData does. */
export type TokenKind = 'ident' | 'string' | 'number' | 'guid' | 'lparen' | 'rparen' | 'comma' | 'colon' | 'slash' | 'bad' | 'end';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Literal value for strings (quotes removed, '' unescaped). */
  value?: string;
  start: number;
  end: number;
}

const GUID_AT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
const IDENT_AT = /^[A-Za-z_$@][A-Za-z0-9_$.@]*/;
const NUMBER_AT = /^-?[0-9]+(\.[0-9]+)?/;

export function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const single: Record<string, TokenKind> = { '(': 'lparen', ')': 'rparen', ',': 'comma', ':': 'colon', '/': 'slash' };
  while (i < filter.length) {
    const ch = filter[i] as string;
    if (ch === ' ' || ch === '\t') {
      i += 1;
      continue;
    }
    const kind = single[ch];
    if (kind) {
      tokens.push({ kind, text: ch, start: i, end: i + 1 });
      i += 1;
      continue;
    }
    if (ch === "'") {
      // A quote inside a literal is written as two quotes; a lone quote ends the literal.
      let j = i + 1;
      let value = '';
      let closed = false;
      while (j < filter.length) {
        if (filter[j] === "'") {
          if (filter[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          closed = true;
          j += 1;
          break;
        }
        value += filter[j];
        j += 1;
      }
      if (!closed) {
        tokens.push({ kind: 'bad', text: filter.slice(i), start: i, end: filter.length });
        break;
      }
      tokens.push({ kind: 'string', text: filter.slice(i, j), value, start: i, end: j });
      i = j;
      continue;
    }
    const rest = filter.slice(i);
    const guid = GUID_AT.exec(rest);
    if (guid && !/[A-Za-z0-9_]/.test(rest.charAt(guid[0].length))) {
      tokens.push({ kind: 'guid', text: guid[0], start: i, end: i + guid[0].length });
      i += guid[0].length;
      continue;
    }
    const num = NUMBER_AT.exec(rest);
    if (num && !/[A-Za-z_]/.test(rest.charAt(num[0].length))) {
      tokens.push({ kind: 'number', text: num[0], start: i, end: i + num[0].length });
      i += num[0].length;
      continue;
    }
    const ident = IDENT_AT.exec(rest);
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0], start: i, end: i + ident[0].length });
      i += ident[0].length;
      continue;
    }
    tokens.push({ kind: 'bad', text: ch, start: i, end: i + 1 });
    break;
  }
  tokens.push({ kind: 'end', text: '', start: filter.length, end: filter.length });
  return tokens;
}
