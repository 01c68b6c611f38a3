import { analyzeValue, parseTemplate, type ExpressionNode, type TemplateNode } from '../../../local/runtime/expressions/index.js';
import { isRecord } from './json.js';

/**
 * Expression look-ups for the contract rules, on top of the project's own WDL parser so that
 * "what a workflow refers to" means the same here as in the local runtime.
 */
export interface ValueReferences {
  /** Lower-cased function names used anywhere in the value. */
  functions: Set<string>;
  parameters: Set<string>;
  appsettings: Set<string>;
}

/** Throws the parser's ExpressionError on a malformed template; callers report it as a problem. */
export function referencesIn(value: unknown): ValueReferences {
  const a = analyzeValue(value);
  return {
    functions: new Set(a.functions.map((f) => f.toLowerCase())),
    parameters: new Set(a.parameterRefs),
    appsettings: new Set(a.appsettingRefs),
  };
}

export function expressionsOf(template: TemplateNode): ExpressionNode[] {
  if (template.kind === 'expression') return [template.expression];
  if (template.kind === 'interpolation') return template.segments.flatMap((s) => (s.kind === 'expression' ? [s.expression] : []));
  return [];
}

/** Functions whose result contains (some of) their arguments' values as they are. */
const PASS_THROUGH = new Set(['coalesce', 'string', 'concat', 'trim', 'if', 'first', 'last', 'base64', 'uricomponent', 'encodeuricomponent', 'createarray', 'json']);

/** Property names whose value an expression's result can be: `X?['password']`, `coalesce(X?['password'], '')`. */
function resultProperties(node: ExpressionNode, onKey: (key: string) => void): void {
  if (node.kind === 'literal') return;
  const last = node.dereferences[node.dereferences.length - 1];
  if (last) {
    if (last.key.kind === 'literal' && typeof last.key.value === 'string') onKey(last.key.value);
    return;
  }
  const name = node.name.toLowerCase();
  if (!PASS_THROUGH.has(name)) return;
  const args = name === 'if' ? node.args.slice(1) : node.args;
  for (const arg of args) resultProperties(arg, onKey);
}

/**
 * Property names a value carries: its JSON object keys, plus the properties its expressions hand
 * over as they are (`@body('x')?['password']`). A property only tested or removed
 * (`empty(X?['password'])`, `removeProperty(X, 'password')`) is not carried.
 * Unparseable strings contribute nothing (another rule reports them).
 */
export function carriedPropertyNames(value: unknown): Set<string> {
  const names = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      let template: TemplateNode;
      try {
        template = parseTemplate(v);
      } catch {
        return;
      }
      for (const e of expressionsOf(template)) resultProperties(e, (k) => names.add(k));
    } else if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (isRecord(v)) {
      for (const [k, child] of Object.entries(v)) {
        names.add(k);
        walk(child);
      }
    }
  };
  walk(value);
  return names;
}
