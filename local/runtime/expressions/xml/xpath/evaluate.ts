import { ExpressionError } from '../../errors.js';
import type { XExpr, XStep } from './ast.js';
import { descendants, rootOf, stringValue, type PNode } from './tree.js';

/** XPath 1.0 evaluation: node-sets, numbers, strings and booleans with the spec's conversions. */
export type XValue = PNode[] | number | string | boolean;

interface Ctx {
  node: PNode;
  position: number;
  size: number;
}

const isSet = (v: XValue): v is PNode[] => Array.isArray(v);

function toStr(v: XValue): string {
  if (isSet(v)) return v[0] ? stringValue(v[0]) : '';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
    return String(v);
  }
  return typeof v === 'boolean' ? String(v) : v;
}

function toNum(v: XValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const s = toStr(v).trim();
  return /^-?(\d+(\.\d*)?|\.\d+)$/.test(s) ? Number(s) : NaN;
}

function toBool(v: XValue): boolean {
  if (isSet(v)) return v.length > 0;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string') return v.length > 0;
  return v;
}

function sortUnique(nodes: PNode[]): PNode[] {
  return [...new Set(nodes)].sort((a, b) => a.order - b.order);
}

function axisNodes(n: PNode, axis: string): PNode[] {
  switch (axis) {
    case 'child':
      return n.children;
    case 'attribute':
      return n.attributes;
    case 'self':
      return [n];
    case 'parent':
      return n.parent ? [n.parent] : [];
    case 'descendant':
      return descendants(n);
    case 'descendant-or-self':
      return [n, ...descendants(n)];
    case 'ancestor':
    case 'ancestor-or-self': {
      const out: PNode[] = axis === 'ancestor-or-self' ? [n] : [];
      for (let p = n.parent; p; p = p.parent) out.push(p);
      return out;
    }
    case 'following-sibling':
    case 'preceding-sibling': {
      if (!n.parent || n.kind === 'attribute') return [];
      const sibs = n.parent.children;
      const at = sibs.indexOf(n);
      return axis === 'following-sibling' ? sibs.slice(at + 1) : sibs.slice(0, at).reverse();
    }
    case 'following':
    case 'preceding': {
      const all = descendants(rootOf(n));
      const mine = new Set([n, ...descendants(n)]);
      const ancestors = new Set(axisNodes(n, 'ancestor'));
      return axis === 'following'
        ? all.filter((x) => x.order > n.order && !mine.has(x))
        : all.filter((x) => x.order < n.order && !ancestors.has(x)).reverse();
    }
    default:
      throw new ExpressionError(`The XPath axis '${axis}' is not supported.`);
  }
}

function matches(n: PNode, test: string, axis: string): boolean {
  switch (test) {
    case 'node()':
      return true;
    case 'text()':
      return n.kind === 'text';
    case 'comment()':
      return n.kind === 'comment';
    case 'processing-instruction()':
      return n.kind === 'pi';
  }
  const principal = axis === 'attribute' ? 'attribute' : 'element';
  if (n.kind !== principal) return false;
  if (test === '*') return true;
  if (test.endsWith(':*')) return n.name.startsWith(test.slice(0, -1));
  return n.name === test;
}


function applyPredicates(nodes: PNode[], preds: XExpr[]): PNode[] {
  let current = nodes;
  for (const p of preds) {
    current = current.filter((node, i) => {
      const v = evalExpr(p, { node, position: i + 1, size: current.length });
      return typeof v === 'number' ? v === i + 1 : toBool(v);
    });
  }
  return current;
}

function step(input: PNode[], s: XStep): PNode[] {
  const out: PNode[] = [];
  for (const n of input) {
    const selected = axisNodes(n, s.axis).filter((x) => matches(x, s.test, s.axis));
    // axisNodes lists reverse axes nearest-first, so predicate positions count along the axis.
    out.push(...applyPredicates(selected, s.preds));
  }
  return sortUnique(out);
}

function compare(op: string, l: XValue, r: XValue): boolean {
  const cmp = (a: XValue, b: XValue): boolean => {
    if (op === '=' || op === '!=') {
      const eq =
        typeof a === 'boolean' || typeof b === 'boolean'
          ? toBool(a) === toBool(b)
          : typeof a === 'number' || typeof b === 'number'
            ? toNum(a) === toNum(b)
            : toStr(a) === toStr(b);
      return op === '=' ? eq : !eq;
    }
    const x = toNum(a);
    const y = toNum(b);
    return op === '<' ? x < y : op === '>' ? x > y : op === '<=' ? x <= y : x >= y;
  };
  // A node-set compares true when any of its nodes does.
  if (isSet(l)) return l.some((n) => (isSet(r) ? r.some((m) => cmp(stringValue(n), stringValue(m))) : cmp(stringValue(n), r)));
  if (isSet(r)) return r.some((m) => cmp(l, stringValue(m)));
  return cmp(l, r);
}

function call(name: string, args: XExpr[], ctx: Ctx): XValue {
  const a = (i: number): XValue => {
    const e = args[i];
    if (!e) throw new ExpressionError(`The XPath function '${name}' is missing argument ${i + 1}.`);
    return evalExpr(e, ctx);
  };
  const s = (i: number): string => (args[i] ? toStr(a(i)) : stringValue(ctx.node));
  const set = (i: number): PNode[] => {
    const v = a(i);
    if (!isSet(v)) throw new ExpressionError(`The XPath function '${name}' expects a node-set.`);
    return v;
  };
  switch (name) {
    case 'last':
      return ctx.size;
    case 'position':
      return ctx.position;
    case 'count':
      return set(0).length;
    case 'name':
    case 'local-name': {
      const n = args[0] ? set(0)[0] : ctx.node;
      if (!n) return '';
      return name === 'name' ? n.name : n.name.slice(n.name.indexOf(':') + 1);
    }
    case 'namespace-uri':
      return '';
    case 'string':
      return s(0);
    case 'concat':
      return args.map((_, i) => toStr(a(i))).join('');
    case 'starts-with':
      return s(0).startsWith(s(1));
    case 'ends-with':
      return s(0).endsWith(s(1));
    case 'contains':
      return s(0).includes(s(1));
    case 'substring-before': {
      const x = s(0);
      const at = x.indexOf(s(1));
      return at < 0 ? '' : x.slice(0, at);
    }
    case 'substring-after': {
      const x = s(0);
      const y = s(1);
      const at = x.indexOf(y);
      return at < 0 ? '' : x.slice(at + y.length);
    }
    case 'substring': {
      const x = s(0);
      const start = Math.round(toNum(a(1)));
      const end = args[2] ? start + Math.round(toNum(a(2))) : Infinity;
      return [...x].filter((_, i) => i + 1 >= start && i + 1 < end).join('');
    }
    case 'string-length':
      return [...s(0)].length;
    case 'normalize-space':
      return s(0).trim().replace(/\s+/g, ' ');
    case 'translate': {
      const from = [...s(1)];
      const to = [...s(2)];
      return [...s(0)].map((c) => (from.includes(c) ? (to[from.indexOf(c)] ?? '') : c)).join('');
    }
    case 'boolean':
      return toBool(a(0));
    case 'not':
      return !toBool(a(0));
    case 'true':
      return true;
    case 'false':
      return false;
    case 'number':
      return args[0] ? toNum(a(0)) : toNum(stringValue(ctx.node));
    case 'sum':
      return set(0).reduce((t, n) => t + toNum(stringValue(n)), 0);
    case 'floor':
      return Math.floor(toNum(a(0)));
    case 'ceiling':
      return Math.ceil(toNum(a(0)));
    case 'round':
      return Math.round(toNum(a(0)));
    default:
      throw new ExpressionError(`The XPath function '${name}' is not supported.`);
  }
}

export function evalExpr(e: XExpr, ctx: Ctx): XValue {
  switch (e.k) {
    case 'num':
      return e.v;
    case 'str':
      return e.v;
    case 'neg':
      return -toNum(evalExpr(e.e, ctx));
    case 'call':
      return call(e.name, e.args, ctx);
    case 'filter': {
      const v = evalExpr(e.e, ctx);
      if (!isSet(v)) throw new ExpressionError('An XPath predicate can only filter a node-set.');
      return applyPredicates(v, e.preds);
    }
    case 'path': {
      let nodes: PNode[];
      if (e.start) {
        const v = evalExpr(e.start, ctx);
        if (!isSet(v)) throw new ExpressionError('An XPath path can only continue from a node-set.');
        nodes = v;
      } else nodes = [e.absolute ? rootOf(ctx.node) : ctx.node];
      for (const s of e.steps) nodes = step(nodes, s);
      return nodes;
    }
    case 'bin': {
      if (e.op === 'or') return toBool(evalExpr(e.l, ctx)) || toBool(evalExpr(e.r, ctx));
      if (e.op === 'and') return toBool(evalExpr(e.l, ctx)) && toBool(evalExpr(e.r, ctx));
      const l = evalExpr(e.l, ctx);
      const r = evalExpr(e.r, ctx);
      switch (e.op) {
        case '|':
          if (!isSet(l) || !isSet(r)) throw new ExpressionError("XPath '|' joins node-sets only.");
          return sortUnique([...l, ...r]);
        case '+':
          return toNum(l) + toNum(r);
        case '-':
          return toNum(l) - toNum(r);
        case '*':
          return toNum(l) * toNum(r);
        case 'div':
          return toNum(l) / toNum(r);
        case 'mod':
          return toNum(l) % toNum(r);
        default:
          return compare(e.op, l, r);
      }
    }
  }
}
