import type { Dereference, ExpressionNode, FunctionCallNode, InterpolationSegment, TemplateNode } from './ast.js';
import { invalid, scan, type Token } from './scanner.js';

/** Recursive-descent parser over the tokens of one expression. */
class ExpressionParser {
  private index = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  parseWhole(): ExpressionNode {
    const node = this.parseExpression();
    const tail = this.peek();
    if (tail.type !== 'end') throw invalid(this.source, tail.pos, `unexpected ${describe(tail)} after the end of the expression`);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? { type: 'end', pos: this.source.length };
  }

  private next(): Token {
    const t = this.peek();
    this.index++;
    return t;
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t.type === 'punct' && t.text === text;
  }

  private expectPunct(text: string): void {
    const t = this.next();
    if (t.type !== 'punct' || t.text !== text) throw invalid(this.source, t.pos, `expected '${text}' but found ${describe(t)}`);
  }

  private parseExpression(): ExpressionNode {
    const t = this.next();
    switch (t.type) {
      case 'string':
        return { kind: 'literal', value: t.value };
      case 'integer':
      case 'float':
        return { kind: 'literal', value: t.value };
      case 'identifier':
        return this.parseIdentifier(t);
      default:
        throw invalid(this.source, t.pos, `expected a value or a function call but found ${describe(t)}`);
    }
  }

  private parseIdentifier(t: Token & { type: 'identifier' }): ExpressionNode {
    if (!this.isPunct('(')) {
      const lower = t.text.toLowerCase();
      if (lower === 'true') return { kind: 'literal', value: true };
      if (lower === 'false') return { kind: 'literal', value: false };
      if (lower === 'null') return { kind: 'literal', value: null };
      throw invalid(this.source, t.pos, `'${t.text}' must be followed by '(' to call it as a function`);
    }
    this.expectPunct('(');
    const args: ExpressionNode[] = [];
    if (!this.isPunct(')')) {
      for (;;) {
        args.push(this.parseExpression());
        if (this.isPunct(',')) {
          this.next();
          continue;
        }
        break;
      }
    }
    this.expectPunct(')');
    const call: FunctionCallNode = { kind: 'call', name: t.text, args, dereferences: [], position: t.pos };
    this.parseDereferences(call.dereferences);
    return call;
  }

  private parseDereferences(into: Dereference[]): void {
    for (;;) {
      let safe = false;
      if (this.isPunct('?')) {
        this.next();
        safe = true;
        if (!this.isPunct('.') && !this.isPunct('[')) {
          const t = this.peek();
          throw invalid(this.source, t.pos, `expected '.' or '[' after '?' but found ${describe(t)}`);
        }
      }
      if (this.isPunct('.')) {
        this.next();
        const name = this.next();
        if (name.type !== 'identifier') throw invalid(this.source, name.pos, `expected a property name after '.' but found ${describe(name)}`);
        into.push({ safe, dot: true, key: { kind: 'literal', value: name.text } });
        continue;
      }
      if (this.isPunct('[')) {
        this.next();
        const key = this.parseExpression();
        this.expectPunct(']');
        into.push({ safe, dot: false, key });
        continue;
      }
      return;
    }
  }
}

function describe(t: Token): string {
  switch (t.type) {
    case 'end':
      return 'the end of the expression';
    case 'identifier':
      return `'${t.text}'`;
    case 'punct':
      return `'${t.text}'`;
    case 'string':
      return 'a string literal';
    default:
      return `the number ${String(t.value)}`;
  }
}

/** Parses the expression language (without the leading `@`). */
export function parseExpression(source: string): ExpressionNode {
  return new ExpressionParser(source, scan(source)).parseWhole();
}

/** Finds the `}` closing an `@{` that starts at `open` (index of `{`), skipping quoted strings. */
function findClosingBrace(text: string, open: number): number {
  let inString = false;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "'") {
        if (text[i + 1] === "'") i++;
        else inString = false;
      }
    } else if (c === "'") {
      inString = true;
    } else if (c === '}') {
      return i;
    }
  }
  return -1;
}

/**
 * Parses a JSON string value as Logic Apps does:
 * - `@@...` at the start: the rest is literal text (one `@` removed, nothing interpolated);
 * - `@expr`: the whole value is one expression, keeping its JSON type;
 * - any `@{...}`: string interpolation (`@@` inside yields a literal `@`);
 * - anything else (including a lone `@`): literal text.
 */
export function parseTemplate(text: string): TemplateNode {
  if (text.startsWith('@@')) return { kind: 'literal', text: text.slice(1) };
  if (text.length > 1 && text.startsWith('@') && text[1] !== '{') {
    const source = text.slice(1);
    return { kind: 'expression', source, expression: parseExpression(source) };
  }
  if (!text.includes('@{')) return { kind: 'literal', text };

  const segments: InterpolationSegment[] = [];
  let buffer = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '@' && text[i + 1] === '@') {
      buffer += '@';
      i += 2;
      continue;
    }
    if (c === '@' && text[i + 1] === '{') {
      const close = findClosingBrace(text, i + 1);
      if (close < 0) throw invalid(text, i, "the interpolation '@{' is not closed by '}'");
      const source = text.slice(i + 2, close);
      if (buffer) segments.push({ kind: 'text', text: buffer });
      buffer = '';
      segments.push({ kind: 'expression', source, expression: parseExpression(source) });
      i = close + 1;
      continue;
    }
    buffer += c;
    i++;
  }
  if (buffer) segments.push({ kind: 'text', text: buffer });
  return { kind: 'interpolation', segments };
}
