import { ExpressionError } from './errors.js';
import { setOwn, type Value, type ValueObject } from './values.js';

/**
 * JSON text -> evaluator values, keeping what JSON.parse loses: `5.0` stays a float and large
 * integers stay exact int64 (bigint). Duplicate keys: the last one wins, as in Newtonsoft.
 * Like Newtonsoft's reader (which json() uses on the host) it also accepts single-quoted
 * strings, unquoted property names and comments.
 */
export function parseJsonText(text: string): Value {
  const parser = new JsonReader(text);
  parser.skipSpace();
  const value = parser.readValue();
  parser.skipSpace();
  if (!parser.atEnd()) throw parser.fail('unexpected content after the JSON value');
  return value;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

class JsonReader {
  private pos = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  fail(reason: string): ExpressionError {
    const shown = this.text.length > 200 ? this.text.slice(0, 200) + '...' : this.text;
    return new ExpressionError(`The template language function 'json' parameter is not valid. The provided value '${shown}' cannot be parsed: ${reason} at position ${this.pos}.`);
  }

  skipSpace(): void {
    for (;;) {
      while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++;
      if (this.text.startsWith('//', this.pos)) {
        const end = this.text.indexOf('\n', this.pos);
        this.pos = end < 0 ? this.text.length : end + 1;
      } else if (this.text.startsWith('/*', this.pos)) {
        const end = this.text.indexOf('*/', this.pos + 2);
        if (end < 0) throw this.fail('unterminated comment');
        this.pos = end + 2;
      } else return;
    }
  }

  readValue(): Value {
    const c = this.text[this.pos];
    if (c === '{') return this.readObject();
    if (c === '[') return this.readArray();
    if (c === '"' || c === "'") return this.readString();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.readNumber();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    throw this.fail(c === undefined ? 'unexpected end of text' : `unexpected character '${c}'`);
  }

  private readObject(): ValueObject {
    const out: ValueObject = {};
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      const key = this.readPropertyName();
      this.skipSpace();
      if (this.text[this.pos] !== ':') throw this.fail("expected ':'");
      this.pos++;
      this.skipSpace();
      const value = this.readValue();
      // Re-inserting moves nothing in JS; delete first so the last duplicate keeps its own slot order.
      if (Object.prototype.hasOwnProperty.call(out, key)) delete out[key];
      setOwn(out, key, value);
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') throw this.fail("expected ',' or '}'");
    }
  }

  private readArray(): Value[] {
    const out: Value[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      out.push(this.readValue());
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === ']') return out;
      if (c !== ',') throw this.fail("expected ',' or ']'");
    }
  }

  private readPropertyName(): string {
    const c = this.text[this.pos];
    if (c === '"' || c === "'") return this.readString();
    const m = /[A-Za-z_$][A-Za-z0-9_$-]*/y;
    m.lastIndex = this.pos;
    const found = m.exec(this.text);
    if (!found) throw this.fail('expected a property name');
    this.pos += found[0].length;
    return found[0];
  }

  private readString(): string {
    const quote = this.text[this.pos];
    let out = '';
    this.pos++;
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) throw this.fail('unterminated string');
      this.pos++;
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.pos++];
      const simple: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && e in simple) out += simple[e];
      else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos, this.pos + 4))) {
        out += String.fromCharCode(parseInt(this.text.slice(this.pos, this.pos + 4), 16));
        this.pos += 4;
      } else throw this.fail('invalid string escape');
    }
  }

  private readNumber(): Value {
    const m = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
    m.lastIndex = this.pos;
    const found = m.exec(this.text);
    if (!found) throw this.fail('invalid number');
    this.pos += found[0].length;
    if (found[2] === undefined && found[3] === undefined) {
      const big = BigInt(found[0]);
      if (big >= INT64_MIN && big <= INT64_MAX) return big;
    }
    return Number(found[0]);
  }
}
