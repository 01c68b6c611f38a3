/**
 * The workflow-definition rules Azure Logic Apps documents and refuses, each with the Microsoft Learn
 * page that states it. Where Consumption and Standard differ, the Standard (single-tenant) value is
 * used: this project deploys Logic Apps Standard. One table, read by the runtime loader (refuses the
 * workflow at load) and by the workflow contract test (fails CI), so both name the same rule.
 */

const LIMITS_PAGE = 'https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config';
const INLINE_CODE_PAGE = 'https://learn.microsoft.com/azure/logic-apps/add-run-javascript';
const RESPONSE_PAGE = 'https://learn.microsoft.com/azure/connectors/connectors-native-reqres';

export interface DefinitionRule {
  /** Stable id, shown in contract failures. */
  id: string;
  /** The rule in the words of its Learn page, short enough for one line of a load error. */
  rule: string;
  /** The documented bound, when the rule is a number. */
  limit?: number;
  /** Learn URL (with the section anchor) that states the rule. */
  source: string;
}

/** A rule that is a number: a count or a length Azure caps. */
export interface LimitRule extends DefinitionRule {
  limit: number;
}

function limitRule(id: string, text: string, source: string, limit: number): LimitRule {
  return { id, rule: text, limit, source };
}

function rule(id: string, text: string, source: string): DefinitionRule {
  return { id, rule: text, source };
}

/**
 * "Workflow limits" table (anchor #definition-limits), Standard column. How the page's words are
 * counted here: nesting depth counts a top-level action as 1, so 8 nested scopes pass and a 9th is
 * refused; an expression is measured as written (`@expr` whole, each `@{expr}` of a text with its
 * braces); trackedProperties by its JSON text. Not checked, because no definition can break them or
 * Standard sets no maximum: input/output sizes (run time), retry attempts (Standard lists only a default).
 */
export const WORKFLOW_NAME_LENGTH = limitRule('workflow-name-length', 'Workflow - maximum name length (Standard)', `${LIMITS_PAGE}#definition-limits`, 32);
export const ACTIONS_PER_WORKFLOW = limitRule('actions-per-workflow', 'Actions per workflow', `${LIMITS_PAGE}#definition-limits`, 500);
export const NESTING_DEPTH = limitRule('actions-nesting-depth', 'Actions nesting depth', `${LIMITS_PAGE}#definition-limits`, 8);
export const NAME_LENGTH = limitRule('name-length', 'Single trigger or action - maximum name length', `${LIMITS_PAGE}#definition-limits`, 80);
export const EXPRESSION_LENGTH = limitRule('expression-length', 'Expression character limit', `${LIMITS_PAGE}#definition-limits`, 8_192);
export const DESCRIPTION_LENGTH = limitRule('description-length', 'description - maximum length', `${LIMITS_PAGE}#definition-limits`, 256);
export const PARAMETERS_PER_WORKFLOW = limitRule('parameters-per-workflow', 'parameters - maximum number of parameters per workflow (Standard)', `${LIMITS_PAGE}#definition-limits`, 500);
export const OUTPUTS_PER_WORKFLOW = limitRule('outputs-per-workflow', 'outputs - maximum number of outputs', `${LIMITS_PAGE}#definition-limits`, 10);
export const TRACKED_PROPERTIES_LENGTH = limitRule('tracked-properties-length', 'trackedProperties - maximum number of characters', `${LIMITS_PAGE}#definition-limits`, 8_000);

/** Loop, Switch, Variables and Inline Code tables of the same page. */
export const UNTIL_COUNT_STATEFUL = limitRule('until-iterations', 'Until loop - iterations (Standard, stateful workflow): min 1, max 5,000', `${LIMITS_PAGE}#until-loop`, 5_000);
export const UNTIL_COUNT_STATELESS = limitRule('until-iterations', 'Until loop - iterations (Standard, stateless workflow): min 1, max 100', `${LIMITS_PAGE}#until-loop`, 100);
export const FOREACH_CONCURRENCY = limitRule('foreach-concurrency', 'For each loop - concurrent iterations: min 1, max 50', `${LIMITS_PAGE}#for-each-loop`, 50);
export const TRIGGER_CONCURRENCY = limitRule('trigger-concurrency', 'Trigger - concurrent runs (Standard): min 1, max 100', `${LIMITS_PAGE}#concurrency-debatching`, 100);
export const MAXIMUM_WAITING_RUNS = limitRule('maximum-waiting-runs', 'Maximum waiting runs (Standard): max 200', `${LIMITS_PAGE}#concurrency-debatching`, 200);
export const SWITCH_CASES = limitRule('switch-cases', 'Switch action - maximum number of cases per action', `${LIMITS_PAGE}#switch-action-limits`, 25);
export const VARIABLES_PER_WORKFLOW = limitRule('variables-per-workflow', 'Variables per workflow', `${LIMITS_PAGE}#variables-action-limits`, 250);
export const INLINE_CODE_LENGTH = limitRule('inline-code-length', 'Inline Code action - maximum number of code characters (Standard)', `${LIMITS_PAGE}#inline-code-action-limits`, 100_000);

/** "You can't add Variables operations, loops such as For each or Until, and iteration indexes as explicit dependencies." */
export const INLINE_CODE_DEPENDENCIES = rule(
  'inline-code-dependencies',
  'Execute JavaScript Code - loops (For each, Until) and Variables operations cannot be explicit dependencies',
  `${INLINE_CODE_PAGE}#add-parameters`,
);

/** "Except for inside For each loops and Until loops, and parallel branches, you can add the Response action anywhere in your workflow." */
export const RESPONSE_NOT_IN_LOOP = rule('response-not-in-loop', 'Response action - not inside For each or Until loops', `${RESPONSE_PAGE}#add-response`);
export const RESPONSE_NOT_IN_PARALLEL_BRANCH = rule('response-not-in-parallel-branch', 'Response action - not in parallel branches', `${RESPONSE_PAGE}#add-response`);

/** Every rule, for documentation and for tests that check each one has a failing and a passing case. */
export const DEFINITION_RULES: readonly DefinitionRule[] = [
  WORKFLOW_NAME_LENGTH,
  ACTIONS_PER_WORKFLOW,
  NESTING_DEPTH,
  NAME_LENGTH,
  EXPRESSION_LENGTH,
  DESCRIPTION_LENGTH,
  PARAMETERS_PER_WORKFLOW,
  OUTPUTS_PER_WORKFLOW,
  TRACKED_PROPERTIES_LENGTH,
  UNTIL_COUNT_STATEFUL,
  UNTIL_COUNT_STATELESS,
  FOREACH_CONCURRENCY,
  TRIGGER_CONCURRENCY,
  MAXIMUM_WAITING_RUNS,
  SWITCH_CASES,
  VARIABLES_PER_WORKFLOW,
  INLINE_CODE_LENGTH,
  INLINE_CODE_DEPENDENCIES,
  RESPONSE_NOT_IN_LOOP,
  RESPONSE_NOT_IN_PARALLEL_BRANCH,
];
