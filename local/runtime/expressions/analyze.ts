import type { ExpressionNode, TemplateNode } from './ast.js';
import { parseTemplateCached } from './template-cache.js';

/** What a template refers to, for load-time validation of workflow definitions. */
export interface TemplateAnalysis {
  /** Function names as written (validate with isKnownFunction / isSupportedFunction). */
  functions: string[];
  /** Actions named by actions()/outputs()/body()/result()/formData*()/multipartBody() with a literal name. */
  actionRefs: string[];
  variableRefs: string[];
  /** Loops named by items()/iterationIndexes(). */
  loopRefs: string[];
  parameterRefs: string[];
  appsettingRefs: string[];
}

const ACTION_FUNCTIONS = new Set(['actions', 'outputs', 'body', 'actionoutputs', 'actionbody', 'result', 'formdatavalue', 'formdatamultivalues', 'multipartbody']);
const LOOP_FUNCTIONS = new Set(['items', 'iterationindexes']);

class Collector {
  readonly sets = {
    functions: new Set<string>(),
    actionRefs: new Set<string>(),
    variableRefs: new Set<string>(),
    loopRefs: new Set<string>(),
    parameterRefs: new Set<string>(),
    appsettingRefs: new Set<string>(),
  };

  visit(node: ExpressionNode): void {
    if (node.kind === 'literal') return;
    this.sets.functions.add(node.name);
    const lower = node.name.toLowerCase();
    const first = node.args[0];
    const literal = first?.kind === 'literal' && typeof first.value === 'string' ? first.value : undefined;
    if (literal !== undefined) {
      if (ACTION_FUNCTIONS.has(lower)) this.sets.actionRefs.add(literal);
      else if (LOOP_FUNCTIONS.has(lower)) this.sets.loopRefs.add(literal);
      else if (lower === 'variables') this.sets.variableRefs.add(literal);
      else if (lower === 'parameters') this.sets.parameterRefs.add(literal);
      else if (lower === 'appsetting') this.sets.appsettingRefs.add(literal);
    }
    for (const a of node.args) this.visit(a);
    for (const d of node.dereferences) this.visit(d.key);
  }

  visitTemplate(t: TemplateNode): void {
    if (t.kind === 'expression') this.visit(t.expression);
    else if (t.kind === 'interpolation') for (const s of t.segments) if (s.kind === 'expression') this.visit(s.expression);
  }

  visitValue(value: unknown): void {
    if (typeof value === 'string') this.visitTemplate(parseTemplateCached(value));
    else if (Array.isArray(value)) for (const v of value) this.visitValue(v);
    else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) {
        if (k.includes('@')) this.visitTemplate(parseTemplateCached(k));
        this.visitValue(v);
      }
    }
  }

  result(): TemplateAnalysis {
    const s = this.sets;
    return {
      functions: [...s.functions],
      actionRefs: [...s.actionRefs],
      variableRefs: [...s.variableRefs],
      loopRefs: [...s.loopRefs],
      parameterRefs: [...s.parameterRefs],
      appsettingRefs: [...s.appsettingRefs],
    };
  }
}

/** Throws ExpressionError (InvalidTemplate) on a syntax error. */
export function analyzeTemplate(text: string): TemplateAnalysis {
  const c = new Collector();
  c.visitTemplate(parseTemplateCached(text));
  return c.result();
}

/** The same over every string (and every key containing '@') of a JSON value. */
export function analyzeValue(value: unknown): TemplateAnalysis {
  const c = new Collector();
  c.visitValue(value);
  return c.result();
}
