import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listActions, type ActionEntry } from './action-tree.js';
import { httpCall, isGraphWrite, isHelperCall, type HttpCall } from './http-actions.js';
import { isRecord, type JsonRecord } from './json.js';
import { definitionOf, loadContractProject, type WorkflowDocument } from './project.js';
import { dryRunGuardRule } from './rules/dry-run-guard.js';
import { helperCallsRule } from './rules/helper-calls.js';
import { actionNamingRule } from './rules/naming.js';
import { workflowSecretsRule } from './rules/secrets.js';
import { singleTriggerRule } from './rules/structure.js';
import type { WorkflowRule } from './rules/types.js';

/**
 * The rules on the real workflows, each broken on purpose: proves the checks bite on the shapes the
 * team actually writes, not only on the small fixtures.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const project = loadContractProject(root);

function mutate(wf: WorkflowDocument, change: (definition: JsonRecord, actions: ActionEntry[]) => void): WorkflowDocument {
  const json = structuredClone(wf.json);
  const definition = definitionOf({ file: wf.file, json });
  change(definition, listActions(definition));
  return { ...wf, json };
}

function rulesFired(rule: WorkflowRule, wf: WorkflowDocument): string[] {
  return rule.check(wf, project).map((p) => p.action ?? '(workflow)');
}

/** Every action of every workflow that the predicate picks, with its workflow. */
function actionsWhere(pick: (call: HttpCall) => boolean): Array<{ wf: WorkflowDocument; name: string }> {
  return project.workflows.flatMap((wf) =>
    listActions(definitionOf(wf))
      .filter((e) => {
        const call = httpCall(e);
        return call !== undefined && pick(call);
      })
      .map((e) => ({ wf, name: e.name })),
  );
}

const writes = actionsWhere(isGraphWrite);
const helperCalls = actionsWhere(isHelperCall);

describe('rules bite on the real workflows', () => {
  it('has Graph writes and helper calls to break', () => {
    expect(writes.length).toBeGreaterThan(0);
    expect(helperCalls.length).toBeGreaterThan(0);
  });

  it.each(writes.map((w) => [`${w.wf.name} › ${w.name}`, w] as const))('a copy of %s at the top level is not dry-run safe', (_label, { wf, name }) => {
    const broken = mutate(wf, (definition, actions) => {
      const original = actions.find((a) => a.name === name);
      if (!original || !isRecord(definition.actions)) throw new Error('fixture lookup failed');
      definition.actions.Escaped_write = { ...structuredClone(original.def), runAfter: {} };
    });
    expect(rulesFired(dryRunGuardRule, broken)).toContain('Escaped_write');
  });

  it.each(helperCalls.map((c) => [`${c.wf.name} › ${c.name}`, c] as const))('%s pointed at an unregistered route is caught', (_label, { wf, name }) => {
    const broken = mutate(wf, (_definition, actions) => {
      const inputs = actions.find((a) => a.name === name)?.def.inputs;
      if (!isRecord(inputs)) throw new Error('fixture lookup failed');
      inputs.uri = "@{parameters('helpersBaseUrl')}/api/contract-test/not-registered";
    });
    expect(rulesFired(helperCallsRule, broken)).toEqual([name]);
  });

  it.each(project.workflows.map((wf) => [wf.name, wf] as const))('%s: a lost description, a literal password and a second trigger are caught', (_name, wf) => {
    const broken = mutate(wf, (definition, actions) => {
      const first = actions[0];
      if (!first || !isRecord(definition.triggers)) throw new Error('workflow has no actions or triggers');
      delete first.def.description;
      first.def.inputs = { ...(isRecord(first.def.inputs) ? first.def.inputs : {}), body: { password: 'Summer2026!' } };
      definition.triggers.Second_trigger = { type: 'Recurrence', recurrence: { frequency: 'Day', interval: 1 } };
    });
    const first = listActions(definitionOf(wf))[0]?.name;
    expect(rulesFired(actionNamingRule, broken)).toContain(first);
    expect(rulesFired(workflowSecretsRule, broken)).toContain(first);
    expect(rulesFired(singleTriggerRule, broken)).toEqual(['(workflow)']);
  });
});
