import { definitionTree, type TreeAction } from './definition-tree.js';
import {
  ACTIONS_PER_WORKFLOW,
  DESCRIPTION_LENGTH,
  EXPRESSION_LENGTH,
  FOREACH_CONCURRENCY,
  INLINE_CODE_DEPENDENCIES,
  INLINE_CODE_LENGTH,
  MAXIMUM_WAITING_RUNS,
  NAME_LENGTH,
  NESTING_DEPTH,
  OUTPUTS_PER_WORKFLOW,
  PARAMETERS_PER_WORKFLOW,
  RESPONSE_NOT_IN_LOOP,
  RESPONSE_NOT_IN_PARALLEL_BRANCH,
  SWITCH_CASES,
  TRACKED_PROPERTIES_LENGTH,
  TRIGGER_CONCURRENCY,
  UNTIL_COUNT_STATEFUL,
  UNTIL_COUNT_STATELESS,
  VARIABLES_PER_WORKFLOW,
  WORKFLOW_NAME_LENGTH,
  type DefinitionRule,
} from './definition-limits.js';
import { measureExpressions } from './expression-lengths.js';
import { parallelSiblings } from './parallel-branches.js';
import { isRecord } from './read-json.js';

export { DEFINITION_RULES, type DefinitionRule } from './definition-limits.js';

/** One place where a workflow breaks a rule Azure documents (and refuses when the workflow is saved). */
export interface DefinitionRuleProblem {
  /** The workflow.json, relative to the project root. */
  file: string;
  /** The action that breaks the rule, when it is an action. */
  action?: string;
  /** The trigger that breaks the rule, when it is the trigger. */
  trigger?: string;
  ruleId: string;
  /** The documented rule, e.g. "Expression character limit". */
  rule: string;
  limit?: number;
  actual?: number | string;
  /** Learn URL stating the rule. */
  source: string;
  /** What is wrong, the rule and its source, in one sentence for a support engineer. */
  message: string;
}

export interface DefinitionRuleOptions {
  /** The workflow's folder name (Standard caps it at 32 characters). */
  workflowName?: string;
}

const LOOP_TYPES = new Set(['foreach', 'until']);
const VARIABLE_OPERATIONS = new Set([
  'initializevariable',
  'setvariable',
  'incrementvariable',
  'decrementvariable',
  'appendtoarrayvariable',
  'appendtostringvariable',
]);
/** Keys not measured as the action's own expressions: nested actions (measured as themselves) and runAfter. */
const NESTED_KEYS = new Set(['actions', 'else', 'cases', 'default', 'runAfter']);

type Add = (rule: DefinitionRule, detail: string, where: { action?: string; trigger?: string }, actual?: number | string) => void;

function ownFields(def: Record<string, unknown>): Record<string, unknown> {
  const own: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(def)) if (!NESTED_KEYS.has(k)) own[k] = v;
  return own;
}

function count(v: unknown): number {
  return isRecord(v) ? Object.keys(v).length : 0;
}

/** Checks shared by actions and the trigger: name, description, expressions, trackedProperties. */
function checkOperation(name: string, def: Record<string, unknown>, where: { action?: string; trigger?: string }, add: Add): void {
  if ([...name].length > NAME_LENGTH.limit) add(NAME_LENGTH, `the name has ${[...name].length} characters, more than ${NAME_LENGTH.limit}`, where, [...name].length);
  if (typeof def.description === 'string' && def.description.length > DESCRIPTION_LENGTH.limit) {
    add(DESCRIPTION_LENGTH, `the description has ${def.description.length} characters, more than ${DESCRIPTION_LENGTH.limit}`, where, def.description.length);
  }
  for (const e of measureExpressions(ownFields(def))) {
    if (e.length > EXPRESSION_LENGTH.limit) add(EXPRESSION_LENGTH, `the expression in ${e.path} has ${e.length} characters, more than ${EXPRESSION_LENGTH.limit}`, where, e.length);
  }
  if (def.trackedProperties !== undefined) {
    const length = JSON.stringify(def.trackedProperties).length;
    if (length > TRACKED_PROPERTIES_LENGTH.limit) add(TRACKED_PROPERTIES_LENGTH, `trackedProperties has ${length} characters (as JSON), more than ${TRACKED_PROPERTIES_LENGTH.limit}`, where, length);
  }
}

function checkPlacement(a: TreeAction, add: Add): void {
  if (a.type !== 'response') return;
  const loop = a.ancestors.find((c) => LOOP_TYPES.has(c.type));
  if (loop) add(RESPONSE_NOT_IN_LOOP, `this Response sits inside the ${loop.type === 'until' ? 'Until' : 'For each'} loop '${loop.name}'`, { action: a.name });
  // The Response, and each container around it, must not run alongside a sibling.
  for (const node of [a, ...[...a.ancestors].reverse()]) {
    const others = parallelSiblings(node);
    if (others.length === 0) continue;
    const via = node === a ? 'it' : `its container '${node.name}'`;
    const named = others.slice(0, 3).map((o) => `'${o}'`).join(', ') + (others.length > 3 ? ` and ${others.length - 3} more` : '');
    add(RESPONSE_NOT_IN_PARALLEL_BRANCH, `this Response is in a parallel branch: ${via} can run at the same time as ${named}; chain them with runAfter`, { action: a.name });
    return;
  }
}

function checkActionSettings(a: TreeAction, stateless: boolean, byName: Map<string, TreeAction>, add: Add): void {
  const where = { action: a.name };
  const def = a.def;
  if (a.type === 'until' && isRecord(def.limit) && typeof def.limit.count === 'number') {
    const rule = stateless ? UNTIL_COUNT_STATELESS : UNTIL_COUNT_STATEFUL;
    const n = def.limit.count;
    if (n < 1 || n > rule.limit) add(rule, `limit.count is ${n}, outside 1 to ${rule.limit}`, where, n);
  }
  if (a.type === 'foreach' && isRecord(def.runtimeConfiguration) && isRecord(def.runtimeConfiguration.concurrency)) {
    const n = def.runtimeConfiguration.concurrency.repetitions;
    if (typeof n === 'number' && (n < 1 || n > FOREACH_CONCURRENCY.limit)) {
      add(FOREACH_CONCURRENCY, `runtimeConfiguration.concurrency.repetitions is ${n}, outside 1 to ${FOREACH_CONCURRENCY.limit}`, where, n);
    }
  }
  if (a.type === 'switch' && count(def.cases) > SWITCH_CASES.limit) {
    add(SWITCH_CASES, `the Switch has ${count(def.cases)} cases, more than ${SWITCH_CASES.limit}`, where, count(def.cases));
  }
  if (a.type === 'javascriptcode') {
    const inputs = isRecord(def.inputs) ? def.inputs : {};
    if (typeof inputs.code === 'string' && inputs.code.length > INLINE_CODE_LENGTH.limit) {
      add(INLINE_CODE_LENGTH, `the code has ${inputs.code.length} characters, more than ${INLINE_CODE_LENGTH.limit}`, where, inputs.code.length);
    }
    const deps = isRecord(inputs.explicitDependencies) && Array.isArray(inputs.explicitDependencies.actions) ? inputs.explicitDependencies.actions : [];
    for (const dep of deps) {
      const target = typeof dep === 'string' ? byName.get(dep) : undefined;
      if (!target) continue;
      if (LOOP_TYPES.has(target.type)) {
        add(INLINE_CODE_DEPENDENCIES, `explicitDependencies names the ${target.type === 'until' ? 'Until' : 'For each'} loop '${target.name}'; depend on an action after the loop instead`, where, target.name);
      } else if (VARIABLE_OPERATIONS.has(target.type)) {
        add(INLINE_CODE_DEPENDENCIES, `explicitDependencies names the Variables operation '${target.name}'`, where, target.name);
      }
    }
  }
}

function checkTriggerConcurrency(name: string, def: Record<string, unknown>, add: Add): void {
  const concurrency = isRecord(def.runtimeConfiguration) && isRecord(def.runtimeConfiguration.concurrency) ? def.runtimeConfiguration.concurrency : {};
  const runs = concurrency.runs;
  if (typeof runs === 'number' && (runs < 1 || runs > TRIGGER_CONCURRENCY.limit)) {
    add(TRIGGER_CONCURRENCY, `runtimeConfiguration.concurrency.runs is ${runs}, outside 1 to ${TRIGGER_CONCURRENCY.limit}`, { trigger: name }, runs);
  }
  const waiting = concurrency.maximumWaitingRuns;
  if (typeof waiting === 'number' && waiting > MAXIMUM_WAITING_RUNS.limit) {
    add(MAXIMUM_WAITING_RUNS, `runtimeConfiguration.concurrency.maximumWaitingRuns is ${waiting}, more than ${MAXIMUM_WAITING_RUNS.limit}`, { trigger: name }, waiting);
  }
}

/**
 * Everything in one workflow.json that breaks a definition rule Azure documents (see
 * ./definition-limits.ts for each rule and its Learn page). Returns every problem at once.
 */
export function checkDefinitionRules(file: string, doc: unknown, opts: DefinitionRuleOptions = {}): DefinitionRuleProblem[] {
  const problems: DefinitionRuleProblem[] = [];
  const add: Add = (rule, detail, where, actual) => {
    const p: DefinitionRuleProblem = {
      file,
      ...where,
      ruleId: rule.id,
      rule: rule.rule,
      source: rule.source,
      message: `${detail}; Azure refuses this (rule "${rule.rule}", ${rule.source})`,
    };
    if (rule.limit !== undefined) p.limit = rule.limit;
    if (actual !== undefined) p.actual = actual;
    problems.push(p);
  };
  if (opts.workflowName !== undefined && opts.workflowName.length > WORKFLOW_NAME_LENGTH.limit) {
    add(WORKFLOW_NAME_LENGTH, `the workflow folder name '${opts.workflowName}' has ${opts.workflowName.length} characters, more than ${WORKFLOW_NAME_LENGTH.limit}`, {}, opts.workflowName.length);
  }
  if (!isRecord(doc) || !isRecord(doc.definition)) return problems;
  const definition = doc.definition;
  const stateless = doc.kind === 'Stateless';

  if (count(definition.parameters) > PARAMETERS_PER_WORKFLOW.limit) {
    add(PARAMETERS_PER_WORKFLOW, `the definition declares ${count(definition.parameters)} parameters, more than ${PARAMETERS_PER_WORKFLOW.limit}`, {}, count(definition.parameters));
  }
  if (count(definition.outputs) > OUTPUTS_PER_WORKFLOW.limit) {
    add(OUTPUTS_PER_WORKFLOW, `the definition declares ${count(definition.outputs)} outputs, more than ${OUTPUTS_PER_WORKFLOW.limit}`, {}, count(definition.outputs));
  }
  if (isRecord(definition.triggers)) {
    for (const [name, t] of Object.entries(definition.triggers)) {
      if (!isRecord(t)) continue;
      checkOperation(name, t, { trigger: name }, add);
      checkTriggerConcurrency(name, t, add);
    }
  }

  const tree = definitionTree(definition);
  if (tree.actions.length > ACTIONS_PER_WORKFLOW.limit) {
    add(ACTIONS_PER_WORKFLOW, `the workflow has ${tree.actions.length} actions, more than ${ACTIONS_PER_WORKFLOW.limit}`, {}, tree.actions.length);
  }
  const byName = new Map(tree.actions.map((a) => [a.name, a]));
  let variables = 0;
  for (const a of tree.actions) {
    const depth = a.ancestors.length + 1;
    // Reported once, at the first action past the limit (not again for everything inside it).
    if (depth === NESTING_DEPTH.limit + 1) {
      add(NESTING_DEPTH, `the action is nested ${depth} levels deep (${a.ancestors.map((c) => c.name).join(' > ')}), more than ${NESTING_DEPTH.limit}`, { action: a.name }, depth);
    }
    checkOperation(a.name, a.def, { action: a.name }, add);
    checkPlacement(a, add);
    checkActionSettings(a, stateless, byName, add);
    if (a.type === 'initializevariable' && isRecord(a.def.inputs) && Array.isArray(a.def.inputs.variables)) variables += a.def.inputs.variables.length;
  }
  if (variables > VARIABLES_PER_WORKFLOW.limit) {
    add(VARIABLES_PER_WORKFLOW, `the workflow initializes ${variables} variables, more than ${VARIABLES_PER_WORKFLOW.limit}`, {}, variables);
  }
  return problems;
}
