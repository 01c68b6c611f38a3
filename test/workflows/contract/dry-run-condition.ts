import { parseTemplate, type ExpressionNode } from '../../../local/runtime/expressions/index.js';
import { isRecord } from './json.js';

/**
 * What taking one branch of an If (or one case of a Switch) proves about the request's dryRun flag.
 * A branch "proves not dry" when its condition cannot hold for a dry run: `not(equals(X?['dryRun'], true))`
 * true, `equals(X?['dryRun'], true)` false, an `and(...)` with such a conjunct true, an `or(...)` false
 * whose disjuncts include such a term. Both condition forms are read: the template string and the object form.
 */
export type DryRunFact = 'not-dry' | 'dry' | 'unknown';

type Condition =
  | { op: 'and' | 'or'; args: Condition[] }
  | { op: 'not'; arg: Condition }
  /** The flag compared with a boolean literal: holds when dryRun === value. */
  | { op: 'dry-is'; value: boolean }
  | { op: 'other' };

const OTHER: Condition = { op: 'other' };

/** `X?['dryRun']`, `X.dryRun`, `variables('dryRun')`, and coalesce()/bool() around one of those. */
function isDryRunReference(node: ExpressionNode): boolean {
  if (node.kind !== 'call') return false;
  const last = node.dereferences[node.dereferences.length - 1];
  if (last) return last.key.kind === 'literal' && typeof last.key.value === 'string' && last.key.value.toLowerCase() === 'dryrun';
  const name = node.name.toLowerCase();
  const first = node.args[0];
  if ((name === 'variables' || name === 'parameters') && first?.kind === 'literal') return String(first.value).toLowerCase() === 'dryrun';
  if ((name === 'coalesce' || name === 'bool') && first) return isDryRunReference(first);
  return false;
}

/** Sides of equals(): a dryRun reference, a boolean literal, or anything else. */
type Side = 'ref' | boolean | 'other';

function fromExpression(node: ExpressionNode): Condition {
  if (node.kind === 'literal') return OTHER;
  if (isDryRunReference(node)) return { op: 'dry-is', value: true };
  if (node.dereferences.length > 0) return OTHER;
  const name = node.name.toLowerCase();
  if (name === 'not' && node.args.length === 1 && node.args[0]) return { op: 'not', arg: fromExpression(node.args[0]) };
  if (name === 'and' || name === 'or') return { op: name, args: node.args.map(fromExpression) };
  if (name === 'equals' && node.args.length === 2) {
    const side = (n: ExpressionNode): Side => (isDryRunReference(n) ? 'ref' : n.kind === 'literal' && typeof n.value === 'boolean' ? n.value : 'other');
    return fromSides(side(node.args[0] as ExpressionNode), side(node.args[1] as ExpressionNode));
  }
  return OTHER;
}

function fromSides(a: Side, b: Side): Condition {
  if (a === 'ref' && typeof b === 'boolean') return { op: 'dry-is', value: b };
  if (b === 'ref' && typeof a === 'boolean') return { op: 'dry-is', value: a };
  return OTHER;
}

function fromTemplateString(text: string): Condition {
  try {
    const t = parseTemplate(text);
    return t.kind === 'expression' ? fromExpression(t.expression) : OTHER;
  } catch {
    return OTHER;
  }
}

/** The object form: `{"and": [{"not": {"equals": ["@triggerBody()?['dryRun']", true]}}]}`. */
function fromObject(value: unknown): Condition {
  if (typeof value === 'string') return fromTemplateString(value);
  if (!isRecord(value)) return OTHER;
  const keys = Object.keys(value);
  if (keys.length !== 1) return OTHER;
  const key = keys[0] as string;
  const raw = value[key];
  const args = Array.isArray(raw) ? raw : [raw];
  const name = key.toLowerCase();
  if (name === 'not' && args.length === 1) return { op: 'not', arg: fromObject(args[0]) };
  if (name === 'and' || name === 'or') return { op: name, args: args.map(fromObject) };
  if (name === 'equals' && args.length === 2) {
    const side = (v: unknown): Side => {
      if (typeof v === 'boolean') return v;
      if (typeof v !== 'string') return 'other';
      const c = fromTemplateString(v);
      return c.op === 'dry-is' && c.value ? 'ref' : 'other';
    };
    return fromSides(side(args[0]), side(args[1]));
  }
  return OTHER;
}

function combine(facts: DryRunFact[]): DryRunFact {
  if (facts.includes('not-dry')) return 'not-dry';
  if (facts.includes('dry')) return 'dry';
  return 'unknown';
}

function factOf(c: Condition, outcome: boolean): DryRunFact {
  switch (c.op) {
    case 'other':
      return 'unknown';
    case 'not':
      return factOf(c.arg, !outcome);
    case 'dry-is':
      // dryRun === value holds (outcome) or not. Only "=== true is false" and "=== false is true" rule a dry run out.
      if (c.value) return outcome ? 'dry' : 'not-dry';
      return outcome ? 'not-dry' : 'unknown';
    case 'and':
      // true: every conjunct holds. false: only a single conjunct tells which one failed.
      if (outcome) return combine(c.args.map((a) => factOf(a, true)));
      return c.args.length === 1 && c.args[0] ? factOf(c.args[0], false) : 'unknown';
    case 'or':
      if (!outcome) return combine(c.args.map((a) => factOf(a, false)));
      return c.args.length === 1 && c.args[0] ? factOf(c.args[0], true) : 'unknown';
  }
}

/** What an If's expression being `outcome` proves about dryRun. */
export function ifBranchFact(expression: unknown, outcome: boolean): DryRunFact {
  return factOf(fromObject(expression), outcome);
}

/** A Switch subject that is the flag itself or its string() form (which yields "True"/"False"). */
function isFlagSubject(expression: unknown): boolean {
  if (typeof expression !== 'string') return false;
  try {
    const t = parseTemplate(expression);
    if (t.kind !== 'expression') return false;
    const node = t.expression;
    if (isDryRunReference(node)) return true;
    const arg = node.kind === 'call' && node.name.toLowerCase() === 'string' && node.dereferences.length === 0 && node.args.length === 1 ? node.args[0] : undefined;
    return arg !== undefined && isDryRunReference(arg);
  } catch {
    return false;
  }
}

/**
 * What entering a Switch case proves: only a Switch on the flag itself says anything. Case text is
 * compared without case here; if the runtime compares exactly, a non-matching case is unreachable,
 * which is just as safe.
 */
export function switchCaseFact(expression: unknown, caseValue: unknown): DryRunFact {
  if (!isFlagSubject(expression)) return 'unknown';
  const text = typeof caseValue === 'boolean' || typeof caseValue === 'string' ? String(caseValue).toLowerCase() : '';
  if (text === 'false') return 'not-dry';
  if (text === 'true') return 'dry';
  return 'unknown';
}

/** True when the expression refers to dryRun anywhere (for messages about the wrong branch). */
export function mentionsDryRun(expression: unknown): boolean {
  return /dryrun/i.test(JSON.stringify(expression) ?? '');
}
