import { ExpressionError } from './errors.js';
import { setOwn, type Value, type ValueObject } from './values.js';

/**
 * JSON text -> evaluator values, keeping what JSON.parse loses: `5.0` stays a float and large
 * integers stay exact int64 (bigint). Duplicate keys: the last one wins, as in Newtonsoft.
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
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++;
  }

  readValue(): Value {
    const c = this.text[this.pos];
    if (c === '{') return this.readObject();
    if (c === '[') return this.readArray();
    if (c === '"') return this.readString();
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
      if (this.text[this.pos] !== '"') throw this.fail('expected a property name');
      const key = this.readString();
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

  private readString(): string {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) throw this.fail('unterminated string');
      if (c === '\\') {
        this.pos += 2;
        continue;
      }
      this.pos++;
      if (c === '"') break;
    }
    try {
      return JSON.parse(this.text.slice(start, this.pos)) as string;
    } catch {
      throw this.fail('invalid string escape');
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
