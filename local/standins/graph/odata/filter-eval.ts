import type { FilterNode, Literal, Operand } from './filter-ast.js';

/**
 * Evaluates an analysed $filter against one entity's full JSON view.
 * Directory string comparisons are case-insensitive, so every text comparison folds case.
 */
type Env = Record<string, unknown>;

function fold(v: unknown): unknown {
  return typeof v === 'string' ? v.toLowerCase() : v;
}

function propertyOf(entity: Record<string, unknown>, name: string): unknown {
  if (name in entity) return entity[name];
  const key = Object.keys(entity).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : entity[key];
}

function valueOf(operand: Operand, entity: Record<string, unknown>, env: Env): unknown {
  if (operand.kind === 'literal') return operand.value;
  const [head, ...rest] = operand.segments as [string, ...string[]];
  let current: unknown = head in env ? env[head] : propertyOf(entity, head);
  for (const seg of rest) {
    if (seg === '$count') return Array.isArray(current) ? current.length : 0;
    current = current && typeof current === 'object' ? propertyOf(current as Record<string, unknown>, seg) : undefined;
  }
  return current;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  const x = fold(a ?? null);
  const y = fold(b ?? null);
  switch (op) {
    case 'eq':
      return x === y;
    case 'ne':
      return x !== y;
    case 'ge':
      return x !== null && y !== null && (x as string) >= (y as string);
    case 'le':
      return x !== null && y !== null && (x as string) <= (y as string);
    case 'gt':
      return x !== null && y !== null && (x as string) > (y as string);
    case 'lt':
      return x !== null && y !== null && (x as string) < (y as string);
    default:
      return false;
  }
}

export function evaluateFilter(node: FilterNode, entity: Record<string, unknown>, env: Env = {}): boolean {
  switch (node.kind) {
    case 'and':
      return evaluateFilter(node.left, entity, env) && evaluateFilter(node.right, entity, env);
    case 'or':
      return evaluateFilter(node.left, entity, env) || evaluateFilter(node.right, entity, env);
    case 'not':
      return !evaluateFilter(node.operand, entity, env);
    case 'cmp':
      return compare(node.op, valueOf(node.left, entity, env), valueOf(node.right, entity, env));
    case 'in': {
      const v = fold(valueOf(node.left, entity, env));
      return node.values.some((l: Literal) => fold(l.value) === v);
    }
    case 'func': {
      const hay = valueOf(node.args[0], entity, env);
      const needle = valueOf(node.args[1], entity, env);
      if (typeof hay !== 'string' || typeof needle !== 'string') return false;
      const h = hay.toLowerCase();
      const n = needle.toLowerCase();
      return node.name === 'startswith' ? h.startsWith(n) : node.name === 'endswith' ? h.endsWith(n) : h.includes(n);
    }
    case 'lambda': {
      const items = valueOf({ kind: 'path', segments: node.collection }, entity, env);
      const list = Array.isArray(items) ? items : [];
      const test = (item: unknown) => evaluateFilter(node.body, entity, { ...env, [node.variable]: item });
      return node.quantifier === 'any' ? list.some(test) : list.every(test);
    }
  }
}
