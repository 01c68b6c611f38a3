import { describeBranch, listActions, type ActionEntry, type Ancestor } from '../action-tree.js';
import { ifBranchFact, mentionsDryRun, switchCaseFact, type DryRunFact } from '../dry-run-condition.js';
import { httpCall, isGraphWrite } from '../http-actions.js';
import { stringAt } from '../json.js';
import { problemSink } from '../problem.js';
import { definitionOf } from '../project.js';
import type { WorkflowRule } from './types.js';

/**
 * Dry run = same workflow, writes skipped. Every tenant write (Graph POST/PUT/PATCH/DELETE, or an
 * Azure Automation runbook job) must sit, at some level, in an If/Switch branch that can only be
 * taken when the request is not a dry run. Decided from the JSON structure alone.
 */
function branchFact(a: Ancestor): DryRunFact {
  const type = a.type.toLowerCase();
  if (type === 'if' && (a.branch.kind === 'then' || a.branch.kind === 'else')) return ifBranchFact(a.def.expression, a.branch.kind === 'then');
  if (type === 'switch' && a.branch.kind === 'case') return switchCaseFact(a.def.expression, a.branch.value);
  return 'unknown';
}

function writeKind(entry: ActionEntry): string | undefined {
  const call = httpCall(entry);
  if (call && isGraphWrite(call)) return `Graph ${call.method}`;
  if (entry.type.toLowerCase() === 'serviceprovider' && stringAt(entry.def, 'inputs', 'serviceProviderConfiguration', 'operationId')?.toLowerCase() === 'createjob') {
    return 'runbook job';
  }
  return undefined;
}

/** Why an action is not proven dry-run safe, or undefined when it is. */
export function dryRunGuardProblem(entry: ActionEntry): string | undefined {
  const kind = writeKind(entry);
  if (kind === undefined) return undefined;
  const facts = entry.ancestors.map((a) => ({ a, fact: branchFact(a) }));
  if (facts.some((f) => f.fact === 'not-dry')) return undefined;
  const dryBranch = facts.find((f) => f.fact === 'dry');
  if (dryBranch) return `${kind} runs in ${describeBranch(dryBranch.a)}, which is taken for a dry run`;
  const mentioning = facts.filter((f) => (f.a.type.toLowerCase() === 'if' || f.a.type.toLowerCase() === 'switch') && mentionsDryRun(f.a.def.expression));
  if (mentioning.length > 0) {
    return `${kind} is in ${mentioning.map((f) => describeBranch(f.a)).join(', ')}, but that branch does not rule out a dry run`;
  }
  return `${kind} is not inside an If/Switch branch on dryRun: a dry run would change the tenant`;
}

export const dryRunGuardRule: WorkflowRule = {
  id: 'dry-run-guard',
  title: 'tenant writes are reachable only when the request is not a dry run',
  check(wf) {
    const { problems, add } = problemSink(wf.file, this.id);
    for (const entry of listActions(definitionOf(wf))) {
      const problem = dryRunGuardProblem(entry);
      if (problem !== undefined) add(problem, entry.name);
    }
    return problems;
  },
};
