import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkDefinitionRules, DEFINITION_RULES } from '../../../local/runtime/project/definition-rules.js';

/**
 * Azure's documented workflow-definition rules, one test per rule: a minimal definition that breaks
 * it (refused, naming the action and the rule's Learn page) and one exactly at the limit (accepted).
 * Each test cites its Learn page (limits: the Standard column) and quotes the documented value.
 */
type Json = Record<string, unknown>;

const compose = (extra: Json = {}): Json => ({ type: 'Compose', inputs: 1, runAfter: {}, ...extra });
const after = (pred: string, ...statuses: string[]): Json => ({ [pred]: statuses.length > 0 ? statuses : ['Succeeded'] });
const respond = (runAfter: Json = {}): Json => ({ type: 'Response', kind: 'Http', inputs: { statusCode: 200 }, runAfter });

function workflow(actions: Json, extra: Json = {}, kind = 'Stateful'): Json {
  return { kind, definition: { triggers: { manual: { type: 'Request', kind: 'Http' } }, actions, ...extra } };
}

/** "<action or -> [<rule id>]" for each problem, so a test names exactly what was refused. */
function check(doc: Json, workflowName?: string): string[] {
  return checkDefinitionRules('workflows/demo/workflow.json', doc, workflowName === undefined ? {} : { workflowName }).map(
    (p) => `${p.action ?? (p.trigger !== undefined ? `trigger ${p.trigger}` : '-')} [${p.ruleId}]`,
  );
}

function nestedScopes(levels: number): Json {
  let inner: Json = {};
  for (let i = levels; i >= 1; i--) inner = { [`Scope_${i}`]: { type: 'Scope', actions: inner, runAfter: {} } };
  return inner;
}

function manyActions(n: number): Json {
  const actions: Json = {};
  for (let i = 1; i <= n; i++) actions[`Step_${i}`] = compose(i === 1 ? {} : { runAfter: after(`Step_${i - 1}`) });
  return actions;
}

describe('definition rules (Azure refuses these when the workflow is saved)', () => {
  it('every rule names its Learn page', () => {
    for (const r of DEFINITION_RULES) expect(r.source).toMatch(/^https:\/\/learn\.microsoft\.com\/azure\/[a-z-]+\/[a-z-]+#[a-z-]+$/);
  });

  it('reports the file, the action, the rule, the limit, the actual value and the source', () => {
    const [p] = checkDefinitionRules('workflows/demo/workflow.json', workflow({ [`A${'x'.repeat(80)}`]: compose() }));
    expect(p).toMatchObject({
      file: 'workflows/demo/workflow.json',
      action: `A${'x'.repeat(80)}`,
      ruleId: 'name-length',
      rule: 'Single trigger or action - maximum name length',
      limit: 80,
      actual: 81,
      source: 'https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#definition-limits',
    });
    expect(p?.message).toBe(
      'the name has 81 characters, more than 80; Azure refuses this (rule "Single trigger or action - maximum name length", https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#definition-limits)',
    );
  });

  // https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#definition-limits: "Single trigger or action - Maximum name length: 80 characters"
  it('action and trigger names: 81 characters refused, 80 accepted', () => {
    const long = `A${'x'.repeat(80)}`;
    expect(check(workflow({ [long]: compose() }))).toEqual([`${long} [name-length]`]);
    expect(check(workflow({ [long.slice(0, 80)]: compose() }))).toEqual([]);
    const trigger = { kind: 'Stateful', definition: { triggers: { [long]: { type: 'Request', kind: 'Http' } }, actions: {} } };
    expect(check(trigger)).toEqual([`trigger ${long} [name-length]`]);
  });

  // https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#definition-limits: "Actions nesting depth: 8 actions"
  it('nesting: 9 nested scopes refused (once, at the 9th), 8 accepted', () => {
    expect(check(workflow(nestedScopes(9)))).toEqual(['Scope_9 [actions-nesting-depth]']);
    expect(check(workflow(nestedScopes(12)))).toEqual(['Scope_9 [actions-nesting-depth]']);
    expect(check(workflow(nestedScopes(8)))).toEqual([]);
  });

  // https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#definition-limits: "Expression character limit: 8,192 characters"
  it('expressions: 8,193 characters refused, 8,192 accepted (whole value and @{...} part)', () => {
    const expression = (length: number): string => `@concat('${'a'.repeat(length - 11)}')`;
    expect(expression(8_193)).toHaveLength(8_193);
    expect(check(workflow({ Build_text: compose({ inputs: expression(8_193) }) }))).toEqual(['Build_text [expression-length]']);
    expect(check(workflow({ Build_text: compose({ inputs: expression(8_192) }) }))).toEqual([]);
    const part = (length: number): string => `Hello @{concat('${'a'.repeat(length - 13)}')}!`;
    expect(check(workflow({ Build_text: compose({ inputs: { text: part(8_193) } }) }))).toEqual(['Build_text [expression-length]']);
    expect(check(workflow({ Build_text: compose({ inputs: { text: part(8_192) } }) }))).toEqual([]);
    // A long literal is not an expression.
    expect(check(workflow({ Build_text: compose({ inputs: 'a'.repeat(20_000) }) }))).toEqual([]);
  });

  // https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#definition-limits: "description - Maximum length: 256 characters"
  it('descriptions: 257 characters refused, 256 accepted', () => {
    expect(check(workflow({ Build_text: compose({ description: 'd'.repeat(257) }) }))).toEqual(['Build_text [description-length]']);
    expect(check(workflow({ Build_text: compose({ description: 'd'.repeat(256) }) }))).toEqual([]);
  });

  // https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#definition-limits: "Actions per workflow: 500 actions"
  it('actions per workflow: 501 refused, 500 accepted', () => {
    expect(check(workflow(manyActions(501)))).toEqual(['- [actions-per-workflow]']);
    expect(check(workflow(manyActions(500)))).toEqual([]);
  });

  // https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#definition-limits: "parameters - Standard: 500 parameters", "outputs - 10 outputs"
  it('parameters: 501 refused, 500 accepted; outputs: 11 refused, 10 accepted', () => {
    const entries = (n: number, value: Json): Json => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, value]));
    const param = { type: 'String', defaultValue: '' };
    expect(check(workflow({}, { parameters: entries(501, param) }))).toEqual(['- [parameters-per-workflow]']);
    expect(check(workflow({}, { parameters: entries(500, param) }))).toEqual([]);
    const output = { type: 'String', value: 'x' };
    expect(check(workflow({}, { outputs: entries(11, output) }))).toEqual(['- [outputs-per-workflow]']);
    expect(check(workflow({}, { outputs: entries(10, output) }))).toEqual([]);
  });

  // https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#definition-limits: "trackedProperties - Maximum number of characters: 8,000 characters"
  it('trackedProperties: 8,001 characters (as JSON) refused, 8,000 accepted', () => {
    const tracked = (length: number): Json => ({ k: 'x'.repeat(length - '{"k":""}'.length) });
    expect(JSON.stringify(tracked(8_000))).toHaveLength(8_000);
    expect(check(workflow({ Build_text: compose({ trackedProperties: tracked(8_001) }) }))).toEqual(['Build_text [tracked-properties-length]']);
    expect(check(workflow({ Build_text: compose({ trackedProperties: tracked(8_000) }) }))).toEqual([]);
  });

  // https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#until-loop: "Iterations - Stateful workflow: Min 1, Max 5,000; Stateless workflow: Min 1, Max 100"
  it('Until count: 5,001 (stateful) and 101 (stateless) refused, 5,000 and 100 accepted, 0 refused', () => {
    const until = (count: number): Json => ({ Poll_job: { type: 'Until', expression: '@true', limit: { count, timeout: 'PT1H' }, actions: {}, runAfter: {} } });
    expect(check(workflow(until(5_001)))).toEqual(['Poll_job [until-iterations]']);
    expect(check(workflow(until(5_000)))).toEqual([]);
    expect(check(workflow(until(0)))).toEqual(['Poll_job [until-iterations]']);
    expect(check(workflow(until(101), {}, 'Stateless'))).toEqual(['Poll_job [until-iterations]']);
    expect(check(workflow(until(100), {}, 'Stateless'))).toEqual([]);
  });

  // https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#for-each-loop: "Concurrent iterations - Concurrency on: Min 1, Max 50"
  it('For each concurrency: 51 and 0 refused, 50 accepted', () => {
    const each = (repetitions: number): Json => ({
      For_each_item: { type: 'Foreach', foreach: '@createArray(1)', actions: {}, runtimeConfiguration: { concurrency: { repetitions } }, runAfter: {} },
    });
    expect(check(workflow(each(51)))).toEqual(['For_each_item [foreach-concurrency]']);
    expect(check(workflow(each(0)))).toEqual(['For_each_item [foreach-concurrency]']);
    expect(check(workflow(each(50)))).toEqual([]);
  });

  // https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#concurrency-debatching: "Trigger - concurrent runs: Min 1, Max 100 (single-tenant)", "Maximum waiting runs: Max 200 runs"
  it('trigger concurrency: 101 runs and 201 waiting runs refused, 100 and 200 accepted', () => {
    const triggered = (runs: number, maximumWaitingRuns: number): Json => ({
      kind: 'Stateful',
      definition: { triggers: { manual: { type: 'Request', kind: 'Http', runtimeConfiguration: { concurrency: { runs, maximumWaitingRuns } } } }, actions: {} },
    });
    expect(check(triggered(101, 201))).toEqual(['trigger manual [trigger-concurrency]', 'trigger manual [maximum-waiting-runs]']);
    expect(check(triggered(0, 10))).toEqual(['trigger manual [trigger-concurrency]']);
    expect(check(triggered(100, 200))).toEqual([]);
  });

  // https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#switch-action-limits: "Maximum number of cases per action: 25"
  it('Switch cases: 26 refused, 25 accepted', () => {
    const cases = (n: number): Json => Object.fromEntries(Array.from({ length: n }, (_, i) => [`Case_${i}`, { case: i, actions: {} }]));
    const sw = (n: number): Json => ({ Route_request: { type: 'Switch', expression: '@1', cases: cases(n), default: { actions: {} }, runAfter: {} } });
    expect(check(workflow(sw(26)))).toEqual(['Route_request [switch-cases]']);
    expect(check(workflow(sw(25)))).toEqual([]);
  });

  // https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#variables-action-limits: "Variables per workflow: 250 variables"
  it('variables per workflow: 251 refused, 250 accepted', () => {
    const init = (n: number): Json => ({
      Init_variables: { type: 'InitializeVariable', inputs: { variables: Array.from({ length: n }, (_, i) => ({ name: `v${i}`, type: 'integer', value: 0 })) }, runAfter: {} },
    });
    expect(check(workflow(init(251)))).toEqual(['- [variables-per-workflow]']);
    expect(check(workflow(init(250)))).toEqual([]);
  });

  // https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#inline-code-action-limits: "Maximum number of code characters - Single-tenant: 100,000 characters"
  it('inline code: 100,001 characters refused, 100,000 accepted', () => {
    const code = (length: number): Json => ({ Run_code: { type: 'JavaScriptCode', inputs: { code: `return 1;${' '.repeat(length - 9)}` }, runAfter: {} } });
    expect(check(workflow(code(100_001)))).toEqual(['Run_code [inline-code-length]']);
    expect(check(workflow(code(100_000)))).toEqual([]);
  });

  // https://learn.microsoft.com/azure/logic-apps/add-run-javascript#add-parameters: "You can't add Variables operations, loops such as For each or Until, and iteration indexes as explicit dependencies."
  it('inline code: an Until, a For each or a Variables operation as explicit dependency refused; the action after the loop accepted', () => {
    const actions = (deps: string[]): Json => ({
      Init_count: { type: 'InitializeVariable', inputs: { variables: [{ name: 'n', type: 'integer', value: 0 }] }, runAfter: {} },
      Wait_for_user: { type: 'Until', expression: '@true', limit: { count: 3 }, actions: { Read_user: compose() }, runAfter: after('Init_count') },
      For_each_group: { type: 'Foreach', foreach: '@createArray(1)', actions: {}, runtimeConfiguration: { concurrency: { repetitions: 1 } }, runAfter: after('Wait_for_user') },
      Collect_results: compose({ runAfter: after('For_each_group') }),
      Summarise: { type: 'JavaScriptCode', inputs: { code: 'return 1;', explicitDependencies: { actions: deps } }, runAfter: after('Collect_results') },
    });
    expect(check(workflow(actions(['Wait_for_user', 'For_each_group', 'Init_count', 'Collect_results'])))).toEqual([
      'Summarise [inline-code-dependencies]',
      'Summarise [inline-code-dependencies]',
      'Summarise [inline-code-dependencies]',
    ]);
    expect(check(workflow(actions(['Collect_results'])))).toEqual([]);
  });

  // https://learn.microsoft.com/azure/connectors/connectors-native-reqres#add-response: "Except for inside For each loops and Until loops, and parallel branches, you can add the Response action anywhere"
  it('Response inside a For each or an Until refused', () => {
    const inEach = { For_each_item: { type: 'Foreach', foreach: '@createArray(1)', actions: { Reply: respond() }, operationOptions: 'Sequential', runAfter: {} } };
    expect(check(workflow(inEach))).toEqual(['Reply [response-not-in-loop]']);
    const inUntil = { Poll_job: { type: 'Until', expression: '@true', limit: { count: 3 }, actions: { Check: { type: 'If', expression: '@true', actions: { Reply: respond() }, runAfter: {} } }, runAfter: {} } };
    expect(check(workflow(inUntil))).toEqual(['Reply [response-not-in-loop]']);
  });

  // https://learn.microsoft.com/azure/connectors/connectors-native-reqres#add-response (parallel branches) and https://learn.microsoft.com/azure/logic-apps/logic-apps-control-flow-branches
  it('Response in a parallel branch refused: two actions after the same action, or both first', () => {
    const forked = { Plan: compose(), Reply: respond(after('Plan')), Write_change: compose({ runAfter: after('Plan') }) };
    expect(check(workflow(forked))).toEqual(['Reply [response-not-in-parallel-branch]']);
    expect(check(workflow({ Reply: respond(), Write_change: compose() }))).toEqual(['Reply [response-not-in-parallel-branch]']);
    // The Response inside a condition whose condition runs alongside another action (the shape fixed in new-user-creation).
    const nested = {
      Plan: compose(),
      Check_runbook_involved: { type: 'If', expression: '@true', actions: { Respond_accepted: respond() }, else: { actions: {} }, runAfter: after('Plan') },
      Check_followups_needed: { type: 'If', expression: '@true', actions: {}, else: { actions: {} }, runAfter: after('Plan') },
    };
    expect(check(workflow(nested))).toEqual(['Respond_accepted [response-not-in-parallel-branch]']);
  });

  // Same rule; exclusive paths are this project's reading (undocumented), see local/runtime/project/parallel-branches.ts.
  it('Response chained, after a join, or on exclusive paths (Succeeded vs Failed of one action) accepted', () => {
    const chained = {
      Plan: compose(),
      Check_runbook_involved: { type: 'If', expression: '@true', actions: { Respond_accepted: respond() }, else: { actions: {} }, runAfter: after('Plan') },
      Check_followups_needed: { type: 'If', expression: '@true', actions: {}, else: { actions: {} }, runAfter: after('Check_runbook_involved', 'Succeeded', 'Failed', 'TimedOut') },
    };
    expect(check(workflow(chained))).toEqual([]);
    const joined = { Plan: compose(), Read_a: compose({ runAfter: after('Plan') }), Read_b: compose({ runAfter: after('Plan') }), Reply: respond({ Read_a: ['Succeeded'], Read_b: ['Succeeded'] }) };
    expect(check(workflow(joined))).toEqual([]);
    const tryCatch = { Do_work: compose(), Reply_ok: respond(after('Do_work', 'Succeeded')), Log_failure: compose({ runAfter: after('Do_work', 'Failed', 'TimedOut') }) };
    expect(check(workflow(tryCatch))).toEqual([]);
    // Exclusive through a chain: Reply runs only when Create succeeded, Revoke only when it failed.
    const chain = {
      Create: compose(),
      Revoke: compose({ runAfter: after('Create', 'Failed', 'TimedOut') }),
      Compose_id: compose({ runAfter: after('Create') }),
      Reply: respond(after('Compose_id')),
    };
    expect(check(workflow(chain))).toEqual([]);
    // ...unless the chain also accepts Skipped: then Reply can run while Revoke does.
    const skippedToo = { ...chain, Reply: respond(after('Compose_id', 'Succeeded', 'Skipped')) };
    expect(check(workflow(skippedToo))).toEqual(['Reply [response-not-in-parallel-branch]']);
  });

  // https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#definition-limits: "Workflow - Maximum name length: Standard: 32 characters"
  it('workflow folder name: 33 characters refused, 32 accepted', () => {
    expect(check(workflow({}), 'w'.repeat(33))).toEqual(['- [workflow-name-length]']);
    expect(check(workflow({}), 'w'.repeat(32))).toEqual([]);
  });

  it('reports every problem of a workflow at once', () => {
    const doc = workflow({ ...nestedScopes(9), [`A${'x'.repeat(80)}`]: compose({ description: 'd'.repeat(300), runAfter: after('Scope_1') }) });
    expect(check(doc)).toEqual(['Scope_9 [actions-nesting-depth]', `A${'x'.repeat(80)} [name-length]`, `A${'x'.repeat(80)} [description-length]`]);
  });
});

describe('shipped workflows', () => {
  const root = fileURLToPath(new URL('../../../workflows/', import.meta.url));
  const names = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(`${root}${e.name}/workflow.json`))
    .map((e) => e.name);

  it('finds them', () => {
    expect(names).toContain('new-user-creation');
  });

  it.each(names)('%s keeps every documented definition rule', (name) => {
    const file = `workflows/${name}/workflow.json`;
    const doc = JSON.parse(readFileSync(`${root}${name}/workflow.json`, 'utf8')) as unknown;
    expect(checkDefinitionRules(file, doc, { workflowName: name }).map((p) => `${p.action ?? '-'}: ${p.message}`)).toEqual([]);
  });
});
