import type { XExpr, XStep } from './ast.js';
import { lexXPath, xpathError, type XToken } from './lexer.js';

/** Recursive-descent parser for XPath 1.0 expressions. */
const AXES = new Set([
  'ancestor', 'ancestor-or-self', 'attribute', 'child', 'descendant', 'descendant-or-self',
  'following', 'following-sibling', 'parent', 'preceding', 'preceding-sibling', 'self',
]);
const NODE_TYPES = new Set(['node', 'text', 'comment', 'processing-instruction']);

class XPathParser {
  private i = 0;

  constructor(
    private readonly src: string,
    private readonly toks: XToken[],
  ) {}

  private peek(offset = 0): XToken {
    return this.toks[this.i + offset] ?? { t: 'end' };
  }

  private isOp(v: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.t === 'op' && t.v === v;
  }

  private expectOp(v: string): void {
    if (!this.isOp(v)) throw xpathError(this.src, `'${v}' was expected`);
    this.i++;
  }

  parse(): XExpr {
    const e = this.or();
    if (this.peek().t !== 'end') throw xpathError(this.src, 'unexpected content after the expression');
    return e;
  }

  private binary(next: () => XExpr, ops: string[]): XExpr {
    let l = next();
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op' || !ops.includes(t.v)) return l;
      this.i++;
      l = { k: 'bin', op: t.v, l, r: next() };
    }
  }

  private or = (): XExpr => this.binary(this.and, ['or']);
  private and = (): XExpr => this.binary(this.equality, ['and']);
  private equality = (): XExpr => this.binary(this.relational, ['=', '!=']);
  private relational = (): XExpr => this.binary(this.additive, ['<', '>', '<=', '>=']);
  private additive = (): XExpr => this.binary(this.multiplicative, ['+', '-']);
  private multiplicative = (): XExpr => this.binary(this.unary, ['*', 'div', 'mod']);

  private unary = (): XExpr => {
    if (this.isOp('-')) {
      this.i++;
      return { k: 'neg', e: this.unary() };
    }
    return this.binary(this.pathExpr, ['|']);
  };

  private startsStep(): boolean {
    const t = this.peek();
    if (t.t === 'name') return !(this.isOp('(', 1) && !NODE_TYPES.has(t.v));
    return t.t === 'op' && ['.', '..', '@', '*name'].includes(t.v);
  }

  private pathExpr = (): XExpr => {
    if (this.isOp('/') || this.isOp('//')) {
      const steps: XStep[] = [];
      if (this.isOp('//')) {
        this.i++;
        steps.push({ axis: 'descendant-or-self', test: 'node()', preds: [] });
        steps.push(...this.relativePath());
      } else {
        this.i++;
        if (this.startsStep()) steps.push(...this.relativePath());
      }
      return { k: 'path', absolute: true, steps };
    }
    if (this.startsStep()) return { k: 'path', absolute: false, steps: this.relativePath() };
    let e = this.primary();
    const preds: XExpr[] = [];
    while (this.isOp('[')) preds.push(this.predicate());
    if (preds.length) e = { k: 'filter', e, preds };
    if (this.isOp('/') || this.isOp('//')) {
      const steps: XStep[] = [];
      if (this.isOp('//')) steps.push({ axis: 'descendant-or-self', test: 'node()', preds: [] });
      this.i++;
      steps.push(...this.relativePath());
      return { k: 'path', absolute: false, start: e, steps };
    }
    return e;
  };

  private relativePath(): XStep[] {
    const steps = [this.step()];
    for (;;) {
      if (this.isOp('/')) {
        this.i++;
        steps.push(this.step());
      } else if (this.isOp('//')) {
        this.i++;
        steps.push({ axis: 'descendant-or-self', test: 'node()', preds: [] }, this.step());
      } else return steps;
    }
  }

  private step(): XStep {
    if (this.isOp('.')) {
      this.i++;
      return { axis: 'self', test: 'node()', preds: [] };
    }
    if (this.isOp('..')) {
      this.i++;
      return { axis: 'parent', test: 'node()', preds: [] };
    }
    let axis = 'child';
    if (this.isOp('@')) {
      this.i++;
      axis = 'attribute';
    } else {
      const t = this.peek();
      if (t.t === 'name' && this.isOp('::', 1)) {
        if (!AXES.has(t.v)) throw xpathError(this.src, `'${t.v}' is not an axis`);
        axis = t.v;
        this.i += 2;
      }
    }
    const t = this.peek();
    let test: string;
    if (t.t === 'op' && (t.v === '*name' || t.v === '*')) {
      this.i++;
      test = '*';
    } else if (t.t === 'name') {
      this.i++;
      if (NODE_TYPES.has(t.v) && this.isOp('(')) {
        this.i++;
        if (this.peek().t === 'str') this.i++;
        this.expectOp(')');
        test = `${t.v}()`;
      } else test = t.v;
    } else throw xpathError(this.src, 'a node test was expected');
    const preds: XExpr[] = [];
    while (this.isOp('[')) preds.push(this.predicate());
    return { axis, test, preds };
  }

  private predicate(): XExpr {
    this.expectOp('[');
    const e = this.or();
    this.expectOp(']');
    return e;
  }

  private primary(): XExpr {
    const t = this.peek();
    if (t.t === 'num') {
      this.i++;
      return { k: 'num', v: t.v };
    }
    if (t.t === 'str') {
      this.i++;
      return { k: 'str', v: t.v };
    }
    if (this.isOp('(')) {
      this.i++;
      const e = this.or();
      this.expectOp(')');
      return e;
    }
    if (t.t === 'name' && this.isOp('(', 1)) {
      this.i += 2;
      const args: XExpr[] = [];
      if (!this.isOp(')')) {
        args.push(this.or());
        while (this.isOp(',')) {
          this.i++;
          args.push(this.or());
        }
      }
      this.expectOp(')');
      return { k: 'call', name: t.v, args };
    }
    if (this.isOp('$')) throw xpathError(this.src, 'variables are not supported');
    throw xpathError(this.src, 'an expression was expected');
  }
}

export function parseXPath(src: string): XExpr {
  return new XPathParser(src, lexXPath(src)).parse();
}
