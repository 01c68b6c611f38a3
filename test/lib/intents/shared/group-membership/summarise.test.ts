import { describe, expect, it } from 'vitest';
import type { GroupMembershipPlan, PlannedGroup } from '../../../../../lib/intents/shared/group-membership/plan-types.js';
import type { ActionResultLike, InlineContext } from '../../../../../lib/inline/context.js';
import { main } from '../../../../../lib/intents/shared/group-membership/summary.js';
import { failedResultLine, jobOutput, recordedJobStatus, startedJob } from '../../../inline/fake-context.js';

/** The summary of both membership workflows, from hand-built `Collect_change_results` outputs. */
const USER = { id: 'u-1', userPrincipalName: 'jane@contoso.com', displayName: 'Jane Doe' };

function g(name: string, id: string, decision: PlannedGroup['decision'], kind = 'security', op: 'add' | 'remove' = 'add'): PlannedGroup {
  const step = `${op === 'add' ? 'add_member' : 'remove_member'}:${name}`;
  const base: PlannedGroup = { name, step, decision, detail: `${decision} ${name}`, group: { id, displayName: name, kind, mail: kind === 'distribution' ? `${id}@contoso.com` : null } };
  if (decision === 'refused') return { ...base, error: { code: 'refused', message: `${name} is dynamic.`, fix: 'Change the rule.', step: 'check_group', retryable: false } };
  return base;
}

function planOf(groups: PlannedGroup[], op: 'add' | 'remove' = 'add'): GroupMembershipPlan {
  return {
    intent: op === 'add' ? 'add-user-to-group' : 'remove-user-from-group',
    operation: op,
    user: USER,
    groups,
    graphChanges: groups.filter((x) => x.decision === 'graph').map((x) => ({ step: x.step, groupId: x.group!.id, displayName: x.group!.displayName, kind: x.group!.kind })),
    exchangeChanges: groups
      .filter((x) => x.decision === 'exchange')
      .map((x) => ({ step: x.step, groupId: x.group!.id, displayName: x.group!.displayName, kind: x.group!.kind, groupIdentity: x.group!.mail!, memberEmail: USER.userPrincipalName, action: op === 'add' ? ('Add' as const) : ('Remove' as const) })),
    longRunning: groups.some((x) => x.decision === 'exchange'),
    preview: { message: '', steps: [] },
  };
}

function graphWrite(groupId: string, status: 'Succeeded' | 'Failed', statusCode: number, error?: { code: string; message: string }, name = 'Add_member_via_Graph'): ActionResultLike {
  return {
    name,
    status,
    inputs: { method: 'POST', uri: `https://graph.test/v1.0/groups/${groupId}/members/$ref` },
    outputs: { statusCode, body: error ? { error } : undefined },
  };
}

/**
 * One repetition of For_each_exchange_change as result() lists it (docs/workflow-design.md, "Runbook jobs"):
 * Start_add_member_job (createJob, not waiting), Record_add_member_job_status (the last status read) and, for a job
 * that ended Failed, the Get_add_member_runbook_output its runbook wrote before throwing (a failed RESULT line).
 * A Completed job's output is added by the test with `output`.
 */
function job(groupIdentity: string, jobId: string, status: 'Completed' | 'Failed' = 'Completed'): ActionResultLike[] {
  const runbookParameters = { GroupIdentity: groupIdentity, MemberEmail: USER.userPrincipalName, Action: 'Add' };
  const start = startedJob(jobId, { parameters: { runbookName: 'Set-DistributionGroupMember', waitForJob: false, runbookParameters } }, 'Start_add_member_job');
  const record = recordedJobStatus(jobId, status, '', 'Record_add_member_job_status');
  return status === 'Completed' ? [start, record] : [start, record, output(jobId, failedResultLine('Couldn\'t find object "jane@contoso.com".'))];
}

function output(jobId: string, text: string): ActionResultLike {
  return jobOutput(text, jobId, 'Get_add_member_runbook_output');
}

function context(plan: GroupMembershipPlan | undefined, graph: ActionResultLike[] = [], exchange: ActionResultLike[] = [], dryRun = false, planAction?: ActionResultLike): InlineContext {
  const planResult = planAction ?? { name: 'Plan_add_user_to_group', status: 'Succeeded', outputs: { statusCode: 200, body: { plan } } };
  return {
    actions: { Collect_change_results: { name: 'Collect_change_results', status: 'Succeeded', outputs: { plan: planResult, graph, exchange } as never } },
    trigger: { outputs: { body: { intent: plan?.intent ?? 'add-user-to-group', dryRun } } },
  };
}

/** The same, for a run that answered `accepted` early (runbook work) under the router's claim. */
function answeredEarly(base: InlineContext, meta: Record<string, string>): InlineContext {
  return {
    ...base,
    actions: { ...base.actions, Respond_accepted: { name: 'Respond_accepted', status: 'Succeeded' } },
    trigger: {
      outputs: {
        headers: { 'x-thread-claim-key': '{"partitionKey":"5","rowKey":"k"}', 'X-Thread-Router-Run-Id': 'ROUTER-RUN-1' },
        body: { ...(base.trigger?.outputs?.body as object), intentName: 'Add User to Group', ticketId: 5, meta, fields: { userEmail: 'jane@contoso.com', groupNames: ['All Staff', 'Sales Team'] } },
      },
    },
    workflow: { name: 'add-user-to-group', run: { name: 'CHILD-RUN-1' } },
  };
}

describe('summarise-group-membership', () => {
  it('all groups changed → success, one step per group after the plan', () => {
    const plan = planOf([g('Sales Team', 'g1', 'graph'), g('Marketing', 'g2', 'graph', 'microsoft365')]);
    const out = main(context(plan, [graphWrite('g2', 'Succeeded', 204), graphWrite('g1', 'Succeeded', 204)]));
    expect(out.status).toBe('success');
    expect(out.steps.map((s) => [s.name, s.status])).toEqual([
      ['plan', 'succeeded'],
      ['add_member:Sales Team', 'succeeded'],
      ['add_member:Marketing', 'succeeded'],
    ]);
    expect(out.message).toBe('Jane Doe (jane@contoso.com) was added to Sales Team and Marketing.');
    expect(out.result).toMatchObject({ user: 'jane@contoso.com', operation: 'add', groups: [{ outcome: 'added', via: 'graph' }, { outcome: 'added', via: 'graph' }] });
    expect(out.error).toBeUndefined();
  });

  it("Graph's 400 'already exist' on add is already_done, not a failure (race since the plan)", () => {
    const plan = planOf([g('Sales Team', 'g1', 'graph')]);
    const out = main(context(plan, [graphWrite('g1', 'Failed', 400, { code: 'Request_BadRequest', message: "One or more added object references already exist for the following modified properties: 'members'." })]));
    expect(out.status).toBe('success');
    expect(out.steps[1]).toMatchObject({ status: 'already_done' });
  });

  it('a 404 on remove is already_done (not a member any more)', () => {
    const plan = planOf([g('Sales Team', 'g1', 'graph', 'security', 'remove')], 'remove');
    const write = graphWrite('g1', 'Failed', 404, { code: 'Request_ResourceNotFound', message: "Resource 'g1' does not exist or one of its queried reference-property objects are not present." }, 'Remove_member_via_Graph');
    const out = main(context(plan, [write]));
    expect(out.status).toBe('success');
    expect(out.steps[1]).toMatchObject({ name: 'remove_member:Sales Team', status: 'already_done' });
  });

  it('one group refused and one added → partial_success with the refusal as the error', () => {
    const plan = planOf([g('All Users', 'g9', 'refused', 'dynamic'), g('Sales Team', 'g1', 'graph')]);
    const out = main(context(plan, [graphWrite('g1', 'Succeeded', 204)]));
    expect(out.status).toBe('partial_success');
    expect(out.error).toMatchObject({ code: 'refused', step: 'add_member:All Users', fix: 'Change the rule.' });
    expect(out.message).toContain('could not be added to All Users');
  });

  it('a Graph 403 is a failure mapped through the Graph error table, never "not found"', () => {
    const plan = planOf([g('Sales Team', 'g1', 'graph')]);
    const out = main(context(plan, [graphWrite('g1', 'Failed', 403, { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' })]));
    expect(out.status).toBe('failed');
    expect(out.error).toMatchObject({ code: 'forbidden', graphCode: 'Authorization_RequestDenied', step: 'add_member:Sales Team' });
    expect(out.message).toContain('No group membership was changed.');
  });

  it('reads the runbook RESULT line: applied → succeeded, already_satisfied → already_done', () => {
    const plan = planOf([g('All Staff', 'dl1', 'exchange', 'distribution'), g('Sales DL', 'dl2', 'exchange', 'distribution')]);
    const exchange = [
      ...job('dl2@contoso.com', 'j2'),
      ...job('dl1@contoso.com', 'j1'),
      output('j1', 'progress\nRESULT: {"outcome":"applied","action":"add_member","message":"ok","details":{}}'),
      output('j2', 'RESULT: {"outcome":"already_satisfied","action":"add_member","message":"ok","details":{}}'),
    ];
    const out = main(context(plan, [], exchange));
    expect(out.steps.slice(1).map((s) => s.status)).toEqual(['succeeded', 'already_done']);
    expect(out.result).toMatchObject({ groups: [{ outcome: 'added', via: 'exchange' }, { outcome: 'already_done', via: 'exchange' }] });
  });

  it('a failed runbook job or a missing RESULT line is a failure that says so', () => {
    const plan = planOf([g('All Staff', 'dl1', 'exchange', 'distribution'), g('Sales DL', 'dl2', 'exchange', 'distribution')]);
    const out = main(context(plan, [], [...job('dl1@contoso.com', 'j1', 'Failed'), ...job('dl2@contoso.com', 'j2'), output('j2', 'no result here')]));
    expect(out.status).toBe('failed');
    // The runbook's reason, from its failed RESULT line (getJobStatus carries no exception text), naming the job.
    expect(out.steps[1]?.detail).toContain('Couldn\'t find object "jane@contoso.com" (runbook job j1, status Failed).');
    expect(out.steps[2]?.detail).toContain('no RESULT line');
  });

  it('a failed job without a RESULT line, or one whose status was never read, is a failure naming the job', () => {
    const plan = planOf([g('All Staff', 'dl1', 'exchange', 'distribution'), g('Sales DL', 'dl2', 'exchange', 'distribution')]);
    const [start1] = job('dl1@contoso.com', 'j1');
    const [start2] = job('dl2@contoso.com', 'j2');
    const exchange = [start1!, recordedJobStatus('j1', 'Failed', '', 'Record_add_member_job_status'), output('j1', ''), start2!, recordedJobStatus('j2', '', '', 'Record_add_member_job_status')];
    const out = main(context(plan, [], exchange));
    expect(out.status).toBe('failed');
    expect(out.steps[1]?.detail).toContain("the runbook job j1 ended with status Failed. Its error is on the job's Exception tab in the Automation account (Jobs → j1).");
    expect(out.steps[2]?.detail).toContain('the status of runbook job j2 could not be read');
  });

  it('dry run: planned steps, planned changes in the result, nothing read from writes', () => {
    const plan = planOf([g('Sales Team', 'g1', 'graph'), g('All Staff', 'dl1', 'exchange', 'distribution'), g('Engineering', 'g3', 'already_done')]);
    const out = main(context(plan, [], [], true));
    expect(out.status).toBe('success');
    expect(out.steps.slice(1).map((s) => s.status)).toEqual(['planned', 'planned', 'already_done']);
    expect(out.message).toMatch(/^Dry run: .* would be added to Sales Team and All Staff; was already a member of Engineering\. Nothing was changed\.$/);
    expect(out.result).toMatchObject({ dry_run: true, planned_changes: { graph: [{ groupId: 'g1' }], exchange: [{ groupId: 'dl1' }] } });
  });

  it('a failed plan (helper AppError body) fails the outcome with the helper error', () => {
    const planAction: ActionResultLike = {
      name: 'Plan_add_user_to_group',
      status: 'Failed',
      outputs: { statusCode: 404, body: { error: { code: 'not_found', message: 'No user is named nobody@contoso.com.', fix: 'Check the spelling.', step: 'resolve_user' } } },
    };
    const out = main(context(undefined, [], [], false, planAction));
    expect(out).toMatchObject({ status: 'failed', steps: [{ name: 'plan', status: 'failed' }], error: { code: 'not_found', step: 'resolve_user' } });
    expect(out.message).toContain('No group membership was changed.');
  });

  it('a planned write that never ran is reported as failed, not as done', () => {
    const plan = planOf([g('Sales Team', 'g1', 'graph')]);
    const out = main(context(plan, [{ name: 'Add_member_via_Graph', status: 'Skipped' }]));
    expect(out.status).toBe('failed');
    expect(out.steps[1]?.detail).toContain('did not run');
  });

  it('without an early answer there is nothing asynchronous to do', () => {
    const plan = planOf([g('Sales Team', 'g1', 'graph')]);
    expect(main(context(plan, [graphWrite('g1', 'Succeeded', 204)])).async).toBeUndefined();
  });

  it('after an early accepted answer: the final answer in the router contract, recorded complete, no e-mail on success', () => {
    const plan = planOf([g('All Staff', 'dl1', 'exchange', 'distribution')]);
    const exchange = [...job('dl1@contoso.com', 'j1'), output('j1', 'RESULT: {"outcome":"applied","action":"add_member","message":"ok","details":{}}')];
    const out = main(answeredEarly(context(plan, [], exchange), { contactName: 'Megan', contactEmail: 'megan@contoso.com', companyName: 'Contoso' }));
    expect(out.async).toEqual({
      record: 'complete',
      notification: null,
      final: { status: 'success', intent: 'Add User to Group', ticket_id: 5, message: out.message, steps: out.steps, result: out.result, run_id: 'ROUTER-RUN-1' },
    });
  });

  it('after an early accepted answer: a failure is recorded as fail (a retry runs again) and e-mailed, every value escaped', () => {
    const plan = planOf([g('All Staff', 'dl1', 'exchange', 'distribution')]);
    const evil = { contactName: '<script>alert(1)</script>', contactEmail: 'x"@y', companyName: 'A & B' };
    const out = main(answeredEarly(context(plan, [], [...job('dl1@contoso.com', 'j1', 'Failed')]), evil));
    expect(out.status).toBe('failed');
    expect(out.async?.record).toBe('fail');
    expect(out.async?.final).toMatchObject({ status: 'failed', error: { step: 'add_member:All Staff' }, run_id: 'ROUTER-RUN-1' });
    const mail = out.async?.notification;
    expect(mail?.subject).toBe('[FAILED] Thread Automation: Add User to Group — Ticket #5');
    expect(mail?.html).not.toContain('<script>');
    expect(mail?.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail?.html).toContain('A &amp; B');
    expect(mail?.html).toContain('What to do next:');
    expect(mail?.html).toContain('All Staff, Sales Team');
  });

  it('after an early accepted answer: partial success is recorded complete and e-mailed as [PARTIAL]', () => {
    const plan = planOf([g('All Staff', 'dl1', 'exchange', 'distribution'), g('Sales Team', 'g1', 'graph')]);
    const out = main(answeredEarly(context(plan, [graphWrite('g1', 'Succeeded', 204)], [...job('dl1@contoso.com', 'j1', 'Failed')]), { contactName: 'M', contactEmail: '', companyName: '' }));
    expect(out.status).toBe('partial_success');
    expect(out.async?.record).toBe('complete');
    expect(out.async?.notification?.subject).toMatch(/^\[PARTIAL\] /);
  });
});
