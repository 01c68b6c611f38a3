import { errors } from '../errors.js';
import type { ComparisonOp, FilterNode, Literal, Operand } from './filter-ast.js';
import { tokenize, type Token } from './filter-lexer.js';

/**
 * Recursive-descent parser for the $filter subset directory objects accept:
 * comparisons, `in`, startswith/endswith/contains, any/all lambdas, and/or/not, parentheses.
 */
const COMPARISON = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set(['startswith', 'endswith', 'contains']);

class Parser {
  private pos = 0;
  constructor(
    private readonly filter: string,
    private readonly tokens: Token[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos += 1;
    return t;
  }

  fail(token: Token): never {
    throw errors.filterSyntax(token.end, this.filter);
  }

  private expect(kind: Token['kind']): Token {
    const t = this.next();
    if (t.kind !== kind) this.fail(t);
    return t;
  }

  private isKeyword(t: Token, word: string): boolean {
    return t.kind === 'ident' && t.text.toLowerCase() === word;
  }

  parseAll(): FilterNode {
    const node = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'end') this.fail(t);
    return node;
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.isKeyword(this.peek(), 'or')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.isKeyword(this.peek(), 'and')) {
      this.next();
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    if (this.isKeyword(this.peek(), 'not')) {
      this.next();
      return { kind: 'not', operand: this.parseUnary() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): FilterNode {
    const t = this.peek();
    if (t.kind === 'lparen') {
      this.next();
      const inner = this.parseOr();
      this.expect('rparen');
      return inner;
    }
    if (t.kind === 'ident' && FUNCTIONS.has(t.text.toLowerCase()) && this.peek(1).kind === 'lparen') {
      return this.parseFunction();
    }
    const left = this.parseOperand();
    if (left.kind === 'path' && this.peek().kind === 'slash' && this.isLambdaAhead()) {
      return this.parseLambda(left.segments);
    }
    const opToken = this.next();
    const op = opToken.kind === 'ident' ? opToken.text.toLowerCase() : '';
    if (op === 'in') {
      this.expect('lparen');
      const values: Literal[] = [];
      do {
        const v = this.parseOperand();
        if (v.kind !== 'literal') this.fail(this.tokens[this.pos - 1] as Token);
        values.push(v);
      } while (this.peek().kind === 'comma' && this.next());
      this.expect('rparen');
      return { kind: 'in', left, values };
    }
    if (!COMPARISON.has(op)) this.fail(opToken);
    return { kind: 'cmp', op: op as ComparisonOp, left, right: this.parseOperand() };
  }

  private isLambdaAhead(): boolean {
    const name = this.peek(1);
    return name.kind === 'ident' && ['any', 'all'].includes(name.text.toLowerCase()) && this.peek(2).kind === 'lparen';
  }

  private parseLambda(collection: string[]): FilterNode {
    this.expect('slash');
    const quantifier = this.next().text.toLowerCase() as 'any' | 'all';
    this.expect('lparen');
    const variable = this.expect('ident').text;
    this.expect('colon');
    const body = this.parseOr();
    this.expect('rparen');
    return { kind: 'lambda', collection, quantifier, variable, body };
  }

  private parseFunction(): FilterNode {
    const name = this.next().text.toLowerCase() as 'startswith' | 'endswith' | 'contains';
    this.expect('lparen');
    const a = this.parseOperand();
    this.expect('comma');
    const b = this.parseOperand();
    this.expect('rparen');
    return { kind: 'func', name, args: [a, b] };
  }

  private parseOperand(): Operand {
    const t = this.next();
    switch (t.kind) {
      case 'string':
        return { kind: 'literal', type: 'string', value: t.value ?? '' };
      case 'guid':
        return { kind: 'literal', type: 'guid', value: t.text.toLowerCase() };
      case 'number':
        return { kind: 'literal', type: 'number', value: Number(t.text) };
      case 'ident': {
        const lower = t.text.toLowerCase();
        if (lower === 'true' || lower === 'false') return { kind: 'literal', type: 'boolean', value: lower === 'true' };
        if (lower === 'null') return { kind: 'literal', type: 'null', value: null };
        const segments = [t.text];
        // Path continues with /segment unless the next segment opens a lambda.
        while (this.peek().kind === 'slash' && this.peek(1).kind === 'ident' && !this.isLambdaAhead()) {
          this.next();
          segments.push(this.next().text);
        }
        return { kind: 'path', segments };
      }
      default:
        return this.fail(t);
    }
  }
}

export function parseFilter(filter: string): FilterNode {
  return new Parser(filter, tokenize(filter)).parseAll();
}
