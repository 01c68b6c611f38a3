import { describe, expect, it } from 'vitest';
import { definition, fixtureProject, graphWrite, ifAction, workflowOf } from './fixtures.js';
import type { JsonRecord } from './json.js';
import { dryRunGuardRule } from './rules/dry-run-guard.js';

/** The dry-run ancestry check on small inline workflows: each way a write can escape the guard. */
function problemsFor(actions: JsonRecord): string[] {
  const project = fixtureProject({ demo: definition(actions) });
  return dryRunGuardRule.check(workflowOf(project, 'demo'), project).map((p) => `${p.action ?? ''}: ${p.message}`);
}

const DRY = "@equals(triggerBody()?['dryRun'], true)";

describe('dry-run guard', () => {
  it('flags a Graph write at the top level', () => {
    expect(problemsFor({ Add_member: graphWrite() })).toEqual(['Add_member: Graph POST is not inside an If/Switch branch on dryRun: a dry run would change the tenant']);
  });

  it('accepts a write in the else branch of an If on dryRun = true', () => {
    expect(problemsFor({ Check_dry_run: ifAction(DRY, {}, { Add_member: graphWrite() }) })).toEqual([]);
  });

  it('flags a write in the branch taken for a dry run', () => {
    expect(problemsFor({ Check_dry_run: ifAction(DRY, { Add_member: graphWrite('PATCH') }) })).toEqual([
      "Add_member: Graph PATCH runs in the true branch of 'Check_dry_run', which is taken for a dry run",
    ]);
  });

  it('accepts the true branch of not(equals(dryRun, true))', () => {
    expect(problemsFor({ Check_live: ifAction("@not(equals(triggerBody()?['dryRun'], true))", { Remove: graphWrite('DELETE') }) })).toEqual([]);
  });

  it('reads the object condition form and nested request paths', () => {
    const live = { and: [{ not: { equals: ["@body('Validate_payload')?['request']?['dryRun']", true] } }] };
    expect(problemsFor({ Check_live: ifAction(live, { Remove: graphWrite('DELETE') }) })).toEqual([]);
    expect(problemsFor({ Check_live: ifAction(live, {}, { Remove: graphWrite('DELETE') }) })).toHaveLength(1);
  });

  it('finds the guard several levels up (Scope and Foreach in between)', () => {
    const loop = { type: 'Foreach', description: 'Each change.', foreach: '@createArray(1)', actions: { Add_member: graphWrite() }, runAfter: {} };
    const scope = { type: 'Scope', description: 'Writes.', actions: { For_each_change: loop }, runAfter: {} };
    expect(problemsFor({ Check_dry_run: ifAction(DRY, {}, { Apply_changes: scope }) })).toEqual([]);
  });

  it('does not accept an or() whose true branch can still be a dry run', () => {
    const expr = "@or(equals(triggerBody()?['dryRun'], true), equals(body('Plan')?['ok'], true))";
    expect(problemsFor({ Check: ifAction(expr, { Add_member: graphWrite() }) })[0]).toContain('does not rule out a dry run');
    expect(problemsFor({ Check: ifAction(expr, {}, { Add_member: graphWrite() }) })).toEqual([]);
  });

  it('accepts an and() with a coalesce()d dryRun = false conjunct', () => {
    const expr = "@and(equals(coalesce(triggerBody()?['dryRun'], false), false), greater(length(body('Plan')), 0))";
    expect(problemsFor({ Check: ifAction(expr, { Add_member: graphWrite() }) })).toEqual([]);
  });

  it('treats equals(dryRun, false) being false as unknown (the flag may be missing or true)', () => {
    expect(problemsFor({ Check: ifAction("@equals(triggerBody()?['dryRun'], false)", {}, { Add_member: graphWrite() }) })).toHaveLength(1);
  });

  it('flags a write under an If that has nothing to do with dryRun', () => {
    expect(problemsFor({ Check_needed: ifAction("@greater(length(body('Plan')), 0)", { Add_member: graphWrite() }) })[0]).toContain('not inside an If/Switch branch on dryRun');
  });

  it('reads a Switch on the flag: case false is live, case true and default are not', () => {
    const sw = (where: 'false' | 'true' | 'default'): JsonRecord => ({
      type: 'Switch',
      description: 'On the flag.',
      expression: "@triggerBody()?['dryRun']",
      cases: {
        Case_live: { case: false, actions: where === 'false' ? { Add_member: graphWrite() } : {} },
        Case_dry: { case: true, actions: where === 'true' ? { Add_member: graphWrite() } : {} },
      },
      default: { actions: where === 'default' ? { Add_member: graphWrite() } : {} },
      runAfter: {},
    });
    expect(problemsFor({ Switch_on_dry_run: sw('false') })).toEqual([]);
    expect(problemsFor({ Switch_on_dry_run: sw('true') })[0]).toContain("case 'Case_dry'");
    expect(problemsFor({ Switch_on_dry_run: sw('default') })).toHaveLength(1);
  });

  it('reads a Switch on string(dryRun) with text cases', () => {
    const sw = {
      type: 'Switch',
      description: 'On the flag as text.',
      expression: "@string(coalesce(triggerBody()?['dryRun'], false))",
      cases: { Case_live: { case: 'False', actions: { Add_member: graphWrite() } }, Case_dry: { case: 'True', actions: { Remove_member: graphWrite('DELETE') } } },
      runAfter: {},
    };
    expect(problemsFor({ Switch_on_dry_run: sw })).toEqual(["Remove_member: Graph DELETE runs in case 'Case_dry' of 'Switch_on_dry_run', which is taken for a dry run"]);
  });

  it('counts runbook jobs as writes and Graph reads as harmless', () => {
    const job = { type: 'ServiceProvider', description: 'Runbook.', inputs: { serviceProviderConfiguration: { connectionName: 'azureAutomation', operationId: 'createJob' } }, runAfter: {} };
    expect(problemsFor({ Run_runbook: job })[0]).toContain('runbook job');
    expect(problemsFor({ Read_user: graphWrite('GET') })).toEqual([]);
  });

  it('recognises a Graph write by its audience when the uri is computed', () => {
    const retry = { ...graphWrite('DELETE'), inputs: { method: 'DELETE', uri: "@{items('Loop')?['uri']}", authentication: { type: 'ManagedServiceIdentity', audience: 'https://graph.microsoft.com' } } };
    expect(problemsFor({ Delete_again: retry })).toHaveLength(1);
  });
});
