import { describe, expect, it } from 'vitest';
import { classifyRunbookFailure, jobOutcome, runbookFailureMessage } from '../../../../lib/intents/shared-mailbox-permission/job-outcome.js';
import type { SharedMailboxPermissionPlan } from '../../../../lib/intents/shared-mailbox-permission/plan-types.js';
import type { InlineContext } from '../../../../lib/inline/context.js';
import { main } from '../../../../lib/intents/shared-mailbox-permission/summary.js';
import { failedResultLine, jobOutput, recordedJobStatus, startedJob } from '../../inline/fake-context.js';

/** The pure summary of workflows/shared-mailbox-permission, on hand-built action results. */
const plan: SharedMailboxPermissionPlan = {
  intent: 'shared-mailbox-permission',
  user: { id: 'u1', userPrincipalName: 'adele.vance@contoso.com', displayName: 'Adele Vance', mail: 'adele.vance@contoso.com' },
  mailbox: { id: 'm1', userPrincipalName: 'info@contoso.com', displayName: 'Contoso Info', mail: 'info@contoso.com', address: 'info@contoso.com' },
  permissionType: 'Full Access',
  action: 'Grant',
  autoMapping: true,
  step: 'grant_full_access:info@contoso.com',
  runbookParameters: { SharedMailboxEmail: 'info@contoso.com', UserEmail: 'adele.vance@contoso.com', PermissionType: 'Full Access', Action: 'Grant', AutoMapping: true },
  longRunning: true,
  notes: [],
  preview: { message: 'Adele Vance (adele.vance@contoso.com) will get Full Access on Contoso Info (info@contoso.com) in Exchange Online (takes a few minutes).', steps: [] },
};

const planOk = { status: 'Succeeded', outputs: { statusCode: 200, body: { plan } } };
const output = (line: string) => jobOutput(`Mailbox info@contoso.com (SharedMailbox)\n${line}`);
/** The step's actions for a job that ended Completed, with its output text. */
const jobDone = (text: string) => ({
  Start_mailbox_permission_job: startedJob('j-1'),
  Record_mailbox_permission_job_status: recordedJobStatus('j-1', 'Completed'),
  Get_job_output: output(text),
});
/** A job that ended Failed: the runbook wrote its failed RESULT line (the exception's message), then threw. */
const jobFailed = (exception: string) => ({
  Start_mailbox_permission_job: startedJob('j-2'),
  Record_mailbox_permission_job_status: recordedJobStatus('j-2', 'Failed'),
  Get_job_output: output(failedResultLine(exception, false)),
});
/** How the connector words a failed job in an action error (a createJob that failed, or one that waited). */
const connectorFailure = (exception: string) => ({
  status: 'Failed',
  outputs: {
    statusCode: 400,
    body: { jobId: 'j-2', error: { code: 'ServiceProviderActionFailed', message: `The service provider action failed with error code 'RunbookJobFailed' and error message 'The runbook job j-2 ended with status Failed. ${exception}'.` } },
  },
});

function context(actions: InlineContext['actions'], body: Record<string, unknown> = { dryRun: false }, headers: Record<string, string> = {}): InlineContext {
  return { actions, trigger: { outputs: { headers, body: { intentName: 'Shared Mailbox Permission', ticketId: 7, fields: {}, meta: {}, ...body } } }, workflow: { name: 'shared-mailbox-permission', run: { name: 'RUN1' } } };
}

describe('summarise shared mailbox permission', () => {
  it('applied → success with the granted outcome and the job id', () => {
    const out = main(context({ Plan_mailbox_permission: planOk, ...jobDone('RESULT: {"outcome":"applied","action":"grant_full_access","message":"Granted.","details":{}}') }));
    expect(out).toMatchObject({ status: 'success', result: { outcome: 'granted', job_id: 'j-1', auto_mapping: true } });
    expect(out.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded']);
    expect(out.async).toBeUndefined();
  });

  it('already_satisfied → success, already_done, nothing changed', () => {
    const out = main(context({ Plan_mailbox_permission: planOk, ...jobDone('RESULT: {"outcome":"already_satisfied","action":"grant_full_access","message":"Already.","details":{}}') }));
    expect(out.status).toBe('success');
    expect(out.steps[1]?.status).toBe('already_done');
    expect(out.message).toContain('already had Full Access');
  });

  it('a failed job → failed with the runbook exception (unwrapped) and a fitting fix', () => {
    const out = main(context({ Plan_mailbox_permission: planOk, ...jobFailed("Organization 'x.onmicrosoft.com' is not this tenant's initial domain.") }));
    expect(out.status).toBe('failed');
    expect(out.error).toMatchObject({ code: 'configuration', step: 'grant_full_access:info@contoso.com' });
    expect(out.error?.message).toContain("Organization 'x.onmicrosoft.com'");
    expect(out.error?.message).not.toContain('ServiceProviderActionFailed');
    expect(out.error?.fix).toContain('Exchange Recipient Administrator');
    // The runbook's reason comes from its failed RESULT line (getJobStatus carries no exception text), naming the job.
    expect(out.error?.message).toContain('(runbook job j-2, status Failed)');
    expect(out.message).toBe(`${out.error?.message} The mailbox permission was not changed. Next: ${out.error?.fix}`);
  });

  it('a failed job without a RESULT line (the script never ran) → failed, saying where the job error is', () => {
    const out = main(context({ Plan_mailbox_permission: planOk, ...jobFailed(''), Get_job_output: jobOutput('') }));
    expect(out.status).toBe('failed');
    expect(out.steps[1]?.status).toBe('failed');
    expect(out.error?.message).toContain("the runbook job j-2 ended with status Failed. Its error is on the job's Exception tab in the Automation account (Jobs → j-2).");
    expect(out.error?.fix).toContain('Open the runbook job in the Automation account (Jobs)');
  });

  it('a job still running when the workflow stopped waiting → failed as unknown, safe to retry', () => {
    const out = main(context({ Plan_mailbox_permission: planOk, ...jobDone(''), Record_mailbox_permission_job_status: recordedJobStatus('j-1', 'Running') }));
    expect(out.status).toBe('failed');
    expect(out.error).toMatchObject({ code: 'service_unavailable', retryable: true });
    expect(out.message).toContain('whether it changed anything is unknown');
  });

  it('output without a RESULT line → failed, not success', () => {
    const out = main(context({ Plan_mailbox_permission: planOk, ...jobDone('SUCCESS: done') }));
    expect(out.status).toBe('failed');
    expect(out.error?.message).toContain('no RESULT line');
  });

  it('a plan refusal passes the helper error through', () => {
    const refused = { status: 'Failed', outputs: { statusCode: 422, body: { error: { code: 'refused', message: 'No.', fix: 'Do this instead.', step: 'check_user' } } } };
    const out = main(context({ Plan_mailbox_permission: refused }));
    expect(out).toMatchObject({ status: 'failed', error: { code: 'refused', message: 'No.', fix: 'Do this instead.', step: 'check_user' } });
    // issue 11 finding 12: the answer ends with what to do next (the helper's fix).
    expect(out.message).toBe('No. No mailbox permission was changed. Next: Do this instead.');
  });

  it('after an early accepted answer: async record/notification; failures are recorded as fail with an e-mail', () => {
    const accepted = { status: 'Succeeded' };
    const ok = main(context({ Plan_mailbox_permission: planOk, Respond_accepted: accepted, ...jobDone('RESULT: {"outcome":"applied"}') }, {}, { 'x-thread-router-run-id': 'R1' }));
    expect(ok.async).toMatchObject({ record: 'complete', notification: null, final: { status: 'success', run_id: 'R1', ticket_id: 7, intent: 'Shared Mailbox Permission' } });
    const bad = main(context({ Plan_mailbox_permission: planOk, Respond_accepted: accepted, ...jobFailed("Couldn't find object \"x\".") }, {}, { 'x-thread-router-run-id': 'R1' }));
    expect(bad.async?.record).toBe('fail');
    expect(bad.async?.notification?.subject).toBe('[FAILED] Thread Automation: Shared Mailbox Permission — Ticket #7');
    expect(bad.error?.code).toBe('not_found');
  });

  it('classifies runbook messages and unwraps the connector wording', () => {
    expect(runbookFailureMessage(connectorFailure('Boom.'))).toBe('Boom.');
    expect(classifyRunbookFailure("'b@contoso.com' is a RoomMailbox, not a shared mailbox; no permission was changed.", plan).code).toBe('refused');
    expect(classifyRunbookFailure('Something odd.', plan)).toMatchObject({ code: 'refused', retryable: true });
    expect(classifyRunbookFailure("error code 'NotFound' and error message 'Runbook not found.'", plan)).toMatchObject({ code: 'configuration', fix: expect.stringContaining('Set-SharedMailboxPermission.ps1') });
    expect(classifyRunbookFailure('AuthorizationFailed: The client does not have authorization', plan).fix).toContain('Automation Job Operator');
    expect(jobOutcome(undefined, undefined, plan)).toMatchObject({ status: 'failed', error: { code: 'internal' } });
    expect(jobOutcome({ status: 'TimedOut' }, undefined, plan)).toMatchObject({ status: 'failed', error: { code: 'service_unavailable' } });
  });
});
