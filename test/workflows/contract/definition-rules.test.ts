import { describe, expect, it } from 'vitest';
import { definition, fixtureProject, workflowOf } from './fixtures.js';
import type { JsonRecord } from './json.js';
import { formatProblem } from './problem.js';
import { definitionRulesRule } from './rules/definition-rules.js';

/**
 * The contract rule runs the runtime's own definition-rule check (one test per rule lives in
 * test/runtime/project/definition-rules.test.ts); here: it fails on a small inline workflow with the
 * file, the action, the rule and its Learn page, and passes the same workflow once fixed.
 */
function run(def: JsonRecord): string[] {
  const p = fixtureProject({ demo: def });
  return definitionRulesRule.check(workflowOf(p, 'demo'), p).map(formatProblem);
}

describe('azure-definition-rules', () => {
  const plan = { type: 'Compose', description: 'Plans.', inputs: 1, runAfter: {} };
  const reply = { type: 'Response', kind: 'Http', description: 'Answers.', inputs: { statusCode: 200 }, runAfter: { Plan: ['Succeeded'] } };

  it('names the file, the action, the rule and its Learn page (https://learn.microsoft.com/azure/connectors/connectors-native-reqres#add-response)', () => {
    const write = { type: 'Compose', description: 'Writes.', inputs: 2, runAfter: { Plan: ['Succeeded'] } };
    expect(run(definition({ Plan: plan, Reply: reply, Write_change: write }))).toEqual([
      'workflows/demo/workflow.json › Reply [azure-definition-rules/response-not-in-parallel-branch] this Response is in a parallel branch: it can run at the same time as \'Write_change\'; chain them with runAfter; Azure refuses this (rule "Response action - not in parallel branches", https://learn.microsoft.com/azure/connectors/connectors-native-reqres#add-response)',
    ]);
    expect(run(definition({ Plan: plan, Reply: reply, Write_change: { ...write, runAfter: { Reply: ['Succeeded'] } } }))).toEqual([]);
  });

  it('checks the trigger too (https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#definition-limits)', () => {
    const def = { triggers: { manual: { type: 'Request', kind: 'Http', description: 'd'.repeat(257) } }, actions: {} };
    expect(run(def)).toEqual([
      `workflows/demo/workflow.json [azure-definition-rules/description-length] trigger 'manual': the description has 257 characters, more than 256; Azure refuses this (rule "description - maximum length", https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#definition-limits)`,
    ]);
  });
});
