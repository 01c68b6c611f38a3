import { describe, expect, it } from 'vitest';
import type { InlineContext } from '../../../../lib/inline/context.js';
import { main } from '../../../../lib/intents/user-offboarding/summary.js';
import type { UserOffboardingPlan } from '../../../../lib/intents/user-offboarding/plan-types.js';
import { failedResultLine, jobOutput, recordedJobStatus, startedJob } from '../../inline/fake-context.js';

/** The offboarding summary on hand-built action records: each step's outcome, the overall status and the async completion. */
const USER_ID = '11111111-2222-3333-4444-555555555555';
const GROUP_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

function plan(overrides: Partial<UserOffboardingPlan> = {}): UserOffboardingPlan {
  const steps: UserOffboardingPlan['steps'] = [
    { name: 'block_sign_in', status: 'planned', detail: 'Block.' },
    { name: 'revoke_sessions', status: 'planned', detail: 'Revoke.' },
    { name: 'reset_password', status: 'planned', detail: 'Reset.' },
    { name: 'convert_to_shared_mailbox', status: 'planned', detail: 'Convert.' },
    { name: 'remove_licenses', status: 'planned', detail: 'Remove.' },
    { name: 'remove_member:Sales', status: 'planned', detail: 'Remove from Sales.' },
    { name: 'remove_member:All Users', status: 'skipped', detail: 'Dynamic.' },
  ];
  return {
    intent: 'user-offboarding',
    user: { id: USER_ID, userPrincipalName: 'leaver@contoso.com', displayName: 'Lee Ver', accountEnabled: true, mail: 'leaver@contoso.com' },
    alreadyDone: null,
    steps,
    writes: {
      blockSignIn: true,
      revokeSessions: true,
      resetPassword: true,
      mailboxRunbook: null,
      convertToShared: true,
      managerAccess: null,
      removeSkuIds: ['sku-1'],
      licenseGroups: [],
      graphGroups: [{ step: 'remove_member:Sales', groupId: GROUP_ID, displayName: 'Sales', kind: 'security' }],
      exchangeGroups: [],
      ownedGroups: [],
    },
    licences: { direct: [{ skuId: 'sku-1', skuPartNumber: 'ENTERPRISEPACK', label: 'Office 365 E3 (ENTERPRISEPACK)' }], inherited: [] },
    notes: [],
    longRunning: true,
    preview: { message: 'Offboarding Lee Ver: 6 changes planned.', steps: steps.map((s) => ({ name: s.name, status: s.status, detail: s.detail })) },
    ...overrides,
  };
}

const ok = (statusCode = 204) => ({ status: 'Succeeded', outputs: { statusCode } });
const RESULT_APPLIED = 'Mailbox x is a UserMailbox.\nRESULT: {"outcome":"applied","action":"convert_to_shared","message":"Converted.","details":{}}';

function context(p: UserOffboardingPlan, records: Record<string, unknown>, extra: { dryRun?: boolean; accepted?: boolean } = {}): InlineContext {
  return {
    actions: {
      Collect_offboarding_results: {
        status: 'Succeeded',
        outputs: {
          plan: { status: 'Succeeded', outputs: { statusCode: 200, body: { plan: p } } },
          blockSignIn: ok(),
          revokeSessions: ok(200),
          passwordReset: { generate: 'Succeeded', status: 'Succeeded', statusCode: 204, error: null },
          // Start_conversion_job / Record_conversion_job_status / Get_conversion_output (docs/workflow-design.md, "Runbook jobs").
          conversionJob: startedJob('j1'),
          conversionJobStatus: recordedJobStatus('j1', 'Completed'),
          conversionOutput: jobOutput(RESULT_APPLIED),
          removeLicenses: ok(200),
          groups: [{ name: 'Remove_group_member', status: 'Succeeded', inputs: { uri: `https://graph/v1.0/groups/${GROUP_ID}/members/${USER_ID}/$ref` }, outputs: { statusCode: 204 } }],
          ...records,
        } as never,
      },
      ...(extra.accepted ? { Respond_accepted: { status: 'Succeeded' } } : {}),
    },
    trigger: {
      outputs: {
        headers: { 'x-thread-router-run-id': 'ROUTER-RUN-1' },
        body: { intent: 'user-offboarding', intentName: 'Disable Account', ticketId: 42, fields: { userEmail: 'leaver@contoso.com' }, meta: { contactName: 'A <b>', contactEmail: 'a@b.c', companyName: 'Contoso' }, dryRun: extra.dryRun === true },
      },
    },
    workflow: { name: 'user-offboarding', run: { name: 'CHILD-RUN' } },
  };
}

const step = (out: { steps: Array<{ name: string; status: string; detail?: string }> }, name: string) => out.steps.find((s) => s.name === name);

describe('summarise-user-offboarding', () => {
  it('all steps done: success, one step per change, licences reported', () => {
    const out = main(context(plan(), {}));
    expect(out.status).toBe('success');
    expect(out.steps.map((s) => `${s.name}=${s.status}`)).toEqual([
      'plan=succeeded',
      'block_sign_in=succeeded',
      'revoke_sessions=succeeded',
      'reset_password=succeeded',
      'convert_to_shared_mailbox=succeeded',
      'remove_licenses=succeeded',
      'remove_member:Sales=succeeded',
      'remove_member:All Users=skipped',
    ]);
    expect(out.result).toMatchObject({ user: 'leaver@contoso.com', licenses_removed: ['ENTERPRISEPACK'] });
    expect(out.async).toBeUndefined();
  });

  it('blocking sign-in failed: failed, with the Graph error, and every other step skipped', () => {
    const out = main(context(plan(), { blockSignIn: { status: 'Failed', outputs: { statusCode: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } } } }));
    expect(out.status).toBe('failed');
    expect(out.error).toMatchObject({ code: 'forbidden', step: 'block_sign_in', graphCode: 'Authorization_RequestDenied' });
    expect(step(out, 'revoke_sessions')?.status).toBe('skipped');
    expect(step(out, 'remove_licenses')?.status).toBe('skipped');
    expect(out.message).toMatch(/could not be offboarded.*Nothing else was changed/);
  });

  it('a failed conversion keeps the licences and licence-group memberships: partial_success with the runbook message', () => {
    const out = main(
      context(plan(), {
        // The job ended Failed; the runbook wrote its failed RESULT line before throwing, and the output is read anyway.
        conversionJobStatus: recordedJobStatus('j1', 'Failed'),
        conversionOutput: jobOutput(failedResultLine("The operation couldn't be performed because object 'leaver@contoso.com' couldn't be found.")),
        // Check_license_work_needed requires the conversion job to have ended Completed: the licence branch never ran.
        removeLicenses: { status: 'Skipped' },
      }),
    );
    expect(out.status).toBe('partial_success');
    expect(step(out, 'convert_to_shared_mailbox')).toMatchObject({ status: 'failed', detail: expect.stringContaining("couldn't be found") });
    expect(step(out, 'convert_to_shared_mailbox')?.detail).toContain('(runbook job j1, status Failed)');
    expect(step(out, 'remove_licenses')).toMatchObject({ status: 'skipped', detail: expect.stringContaining('conversion') });
    expect(out.error?.step).toBe('convert_to_shared_mailbox');
    expect(out.result.licenses_removed).toEqual([]);
  });

  it('a failed password reset is reported from status and Graph error only', () => {
    const out = main(context(plan(), { passwordReset: { generate: 'Succeeded', status: 'Failed', statusCode: 400, error: { code: 'Request_BadRequest', message: 'The specified password does not comply with password complexity requirements.' } } }));
    expect(out.status).toBe('partial_success');
    expect(step(out, 'reset_password')).toMatchObject({ status: 'failed' });
    expect(out.error).toMatchObject({ step: 'reset_password', code: 'validation_failed' });
  });

  it('a membership already gone (404) is already_done, not a failure', () => {
    const out = main(context(plan(), { groups: [{ name: 'Remove_group_member', status: 'Failed', inputs: { uri: `https://graph/v1.0/groups/${GROUP_ID}/members/${USER_ID}/$ref` }, outputs: { statusCode: 404, body: { error: { code: 'Request_ResourceNotFound', message: 'gone' } } } }] }));
    expect(out.status).toBe('success');
    expect(step(out, 'remove_member:Sales')?.status).toBe('already_done');
  });

  it('a plan refused step alone makes partial_success and carries its error', () => {
    const p = plan();
    p.steps.splice(3, 0, { name: 'forward_email', status: 'failed', detail: 'No one has x.', error: { code: 'not_found', message: 'No one has x.', fix: 'Check the spelling.', step: 'forward_email' } });
    const out = main(context(p, {}));
    expect(out.status).toBe('partial_success');
    expect(out.error).toMatchObject({ code: 'not_found', step: 'forward_email' });
  });

  it('a failed plan: failed with the helper error, nothing changed', () => {
    const ctx = context(plan(), {
      plan: { status: 'Failed', outputs: { statusCode: 422, body: { error: { code: 'refused', message: 'Lee is an administrator.', fix: 'Offboard by hand.', step: 'check_privileged' } } } },
    });
    const out = main(ctx);
    expect(out.status).toBe('failed');
    expect(out.error).toMatchObject({ code: 'refused', step: 'check_privileged' });
    expect(out.message).toMatch(/Nothing was changed/);
  });

  it('dry run: success with the planned steps and the planned writes', () => {
    const out = main(context(plan(), { blockSignIn: { status: 'Skipped' } }, { dryRun: true }));
    expect(out.status).toBe('success');
    expect(out.message).toMatch(/^Dry run: /);
    expect(step(out, 'block_sign_in')?.status).toBe('planned');
    expect(out.result).toMatchObject({ dry_run: true, planned_changes: { removeSkuIds: ['sku-1'] } });
  });

  // runbooks/Set-MailboxOffboarding.ps1: an external target without AllowExternalForwarding=true is refused,
  // nothing about forwarding changes, and details.refused[] says why (outcome already_satisfied when nothing else changed).
  function forwardingPlan(): UserOffboardingPlan {
    const p = plan();
    p.steps.splice(3, 0, { name: 'hide_from_address_list', status: 'planned', detail: 'Hide.' }, { name: 'forward_email', status: 'planned', detail: 'Forward.' });
    p.writes.mailboxRunbook = { UserPrincipalName: 'leaver@contoso.com', HideFromAddressList: true, ForwardTo: 'out@fabrikam.example', DeliverToMailboxAndForward: true, AutoReplyMessage: '' };
    return p;
  }
  const mailboxRecords = (result: Record<string, unknown>) => ({
    mailboxJob: startedJob('j2'),
    mailboxJobStatus: recordedJobStatus('j2', 'Completed'),
    mailboxOutput: jobOutput(`RESULT: ${JSON.stringify(result)}`),
  });

  it("a forwarding the runbook refused (details.refused) is reported as refused, not 'already done'", () => {
    const reason = 'Forwarding to out@fabrikam.example is refused: it is outside the organisation.';
    const out = main(
      context(forwardingPlan(), mailboxRecords({ outcome: 'already_satisfied', action: 'mailbox_offboarding', message: reason, details: { changed: [], refused: [{ step: 'forwarding', reason }] } })),
    );
    expect(step(out, 'forward_email')).toMatchObject({ status: 'failed', detail: reason });
    expect(step(out, 'hide_from_address_list')?.status).toBe('already_done');
    expect(out.status).toBe('partial_success');
    expect(out.error).toMatchObject({ code: 'refused', step: 'forward_email', retryable: false, fix: expect.stringContaining('inside the organisation') });
    expect(out.message).toContain('forward_email');
  });

  it('a refusal alongside other changes still fails only the forwarding step', () => {
    const out = main(
      context(
        forwardingPlan(),
        mailboxRecords({ outcome: 'applied', action: 'mailbox_offboarding', message: 'x', details: { changed: ['hidden_from_address_lists'], refused: [{ step: 'forwarding' }] } }),
      ),
    );
    expect(step(out, 'hide_from_address_list')?.status).toBe('succeeded');
    expect(step(out, 'forward_email')).toMatchObject({ status: 'failed', detail: expect.stringContaining('refused to forward') });
    const fine = main(context(forwardingPlan(), mailboxRecords({ outcome: 'applied', action: 'mailbox_offboarding', message: 'x', details: { changed: ['forwarding'], refused: [] } })));
    expect(step(fine, 'forward_email')?.status).toBe('succeeded');
  });

  it('a dry run never prepares an e-mail, whatever its outcome (issue 11 item 9)', () => {
    const failedPlan = { plan: { status: 'Failed', outputs: { statusCode: 404, body: { error: { code: 'not_found', message: 'No user ghost@contoso.com.', fix: 'Check the spelling.' } } } } };
    const out = main(context(plan(), failedPlan, { accepted: true, dryRun: true }));
    expect(out.status).toBe('failed');
    expect(out.async).toMatchObject({ record: 'fail', notification: null });
    expect(main(context(plan(), failedPlan, { accepted: true })).async?.notification?.subject).toMatch(/^\[FAILED\]/);
  });

  it('after an early accepted: the final answer for the ledger and an escaped e-mail when not a success', () => {
    const out = main(context(plan(), { revokeSessions: { status: 'Failed', outputs: { statusCode: 503, body: { error: { code: 'serviceNotAvailable', message: 'down' } } } } }, { accepted: true }));
    expect(out.status).toBe('partial_success');
    expect(out.async).toMatchObject({ record: 'complete', final: { status: 'partial_success', intent: 'Disable Account', ticket_id: 42, run_id: 'ROUTER-RUN-1' } });
    expect(out.async?.notification?.subject).toBe('[PARTIAL] Thread Automation: Disable Account — Ticket #42');
    expect(out.async?.notification?.html).toContain('A &lt;b&gt;');
    const success = main(context(plan(), {}, { accepted: true }));
    expect(success.async).toMatchObject({ record: 'complete', notification: null });
  });
});
