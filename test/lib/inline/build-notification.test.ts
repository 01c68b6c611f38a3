import { describe, expect, it } from 'vitest';
import { main } from '../../../lib/inline/build-notification.js';
import type { ActionResultLike } from '../../../lib/inline/context.js';
import { context, failedWithoutAnswer, ok, passwordResetRequest } from './fake-context.js';

const PASSWORD = 'Sup3r$ecret-Pa55';

/** A Compose action as the run records it: its outputs are the composed value itself. */
const composed = (value: Record<string, unknown>): ActionResultLike => ({ status: 'Succeeded', code: 'OK', outputs: value as ActionResultLike['outputs'] });

function built(body: Record<string, unknown>) {
  return ok({ statusCode: 200, record: 'fail', notify: true, responded: false, body });
}

describe('build-notification', () => {
  const failedBody = {
    status: 'failed',
    intent: 'Password Reset',
    ticket_id: 5678,
    message: 'Setting the password of adele.vance@contoso.com failed.',
    steps: [
      { name: 'plan', status: 'succeeded', detail: 'Resolved Adele' },
      { name: 'set_password:adele.vance@contoso.com', status: 'failed', detail: 'Insufficient privileges' },
    ],
    result: { password_link: 'https://helpers.test/api/secret/abc#k=THE-KEY' },
    run_id: 'RUN1',
    error: { code: 'forbidden', message: 'Insufficient privileges <b>', fix: 'Grant the User Administrator role', step: 'set_password', graphCode: 'Authorization_RequestDenied' },
  };

  it('builds the [FAILED] subject with intent and ticket', () => {
    const out = main(context({ Validate_payload: ok({ request: passwordResetRequest() }), Build_response: built(failedBody) }));
    expect(out.subject).toBe('[FAILED] Thread Automation: Password Reset — Ticket #5678');
  });

  it('msp mode: a Customer row names the registry customer the run acted for (docs/msp-mode.md); the subject stays the same in both modes', () => {
    const customerContext = composed({ customer: { id: 'fabrikam', displayName: 'Fabrikam Inc', tenantId: 't', exchangeOrganization: 'f.onmicrosoft.com', domains: [] } });
    const out = main(context({ Validate_payload: ok({ request: passwordResetRequest() }), Build_response: built(failedBody), Compose_customer_context: customerContext }));
    expect(out.subject).toBe('[FAILED] Thread Automation: Password Reset — Ticket #5678');
    expect(out.html).toContain('Fabrikam Inc (fabrikam)');
    const customerMode = composed({ customer: { id: '', displayName: '', tenantId: '', exchangeOrganization: '', domains: [] } });
    const plain = main(context({ Validate_payload: ok({ request: passwordResetRequest() }), Build_response: built(failedBody), Compose_customer_context: customerMode }));
    expect(plain.subject).toBe('[FAILED] Thread Automation: Password Reset — Ticket #5678');
    expect(plain.html).not.toContain('>Customer<');
  });

  it('uses [PARTIAL] for partial success', () => {
    const out = main(context({ Validate_payload: ok({ request: passwordResetRequest() }), Build_response: built({ ...failedBody, status: 'partial_success' }) }));
    expect(out.subject.startsWith('[PARTIAL] Thread Automation: Password Reset — Ticket #5678')).toBe(true);
  });

  it('shows steps, the Graph error code, the fix and a link to the run', () => {
    const out = main(context({ Validate_payload: ok({ request: passwordResetRequest() }), Build_response: built(failedBody) }));
    expect(out.html).toContain('set_password:adele.vance@contoso.com');
    expect(out.html).toContain('Authorization_RequestDenied');
    expect(out.html).toContain('Grant the User Administrator role');
    expect(out.html).toContain('Megan Bowen (megan.bowen@contoso.com)');
    expect(out.html).toContain('Contoso');
    expect(out.html).toContain('Force change on login');
    expect(out.html).toContain('href="http://127.0.0.1:7071/runs/thread-webhook/08584000000000000000000000001CU00"');
  });

  it('never renders the temporary password, secret-like fields or the password link', () => {
    const request = passwordResetRequest({ fields: { userEmail: 'a@contoso.com', temporaryPassword: PASSWORD, apiToken: 'tok-123', forceChangeOnLogin: true } });
    const out = main(context({ Validate_payload: ok({ request }), Build_response: built(failedBody) }, { intent_fields: { 'Temporary Password': PASSWORD } }));
    const all = out.subject + out.html;
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain('tok-123');
    expect(all).not.toContain('THE-KEY');
    expect(all).not.toContain('temporaryPassword');
    expect(out.html).toContain('a@contoso.com');
  });

  it('escapes every value taken from the request', () => {
    const request = passwordResetRequest({
      intentName: 'Password Reset<script>',
      meta: { contactName: '<img src=x onerror=alert(1)>', contactEmail: '"><svg onload=1>', companyName: 'A & B <Ltd>' },
      fields: { userEmail: "o'brien<b>@contoso.com", forceChangeOnLogin: false },
    });
    const out = main(context({ Validate_payload: ok({ request }), Build_response: built({ ...failedBody, message: '<iframe src=evil>' }) }));
    expect(out.html).not.toMatch(/<img|<svg|<script|<iframe|<b>/);
    expect(out.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out.html).toContain('A &amp; B &lt;Ltd&gt;');
    expect(out.html).toContain('o&#39;brien&lt;b&gt;@contoso.com');
    expect(out.html).toContain('&lt;iframe src=evil&gt;');
  });

  it('falls back to the raw payload (escaped) when validation never answered', () => {
    const out = main(
      context(
        { Validate_payload: failedWithoutAnswer(), Build_response: built({ ...failedBody, status: 'failed', steps: [], error: undefined }) },
        { intent_name: 'Password <Reset>', meta_data: { ticket_id: 991, contact_name: 'Eve<>' }, intent_fields: { 'Temporary Password': PASSWORD } },
      ),
    );
    expect(out.subject).toBe('[FAILED] Thread Automation: Password <Reset> — Ticket #991');
    expect(out.html).toContain('Password &lt;Reset&gt;');
    expect(out.html).toContain('Eve&lt;&gt;');
    expect(out.html).not.toContain(PASSWORD);
  });

  // issue 11 finding 12: the mail says what happened, what was and was not done, and what to do next.
  it('says what to do next once, in its own box, and words outcome and steps for a technician', () => {
    const next = 'Grant the User Administrator role.';
    const body = { ...failedBody, message: `Setting the password failed. The password was not changed. Next: ${next}`, error: { ...failedBody.error, fix: next } };
    const out = main(context({ Validate_payload: ok({ request: passwordResetRequest() }), Build_response: built(body) }));
    expect(out.html).toContain(`<strong>What to do next:</strong> ${next}`);
    expect(out.html.split(next).length - 1).toBe(1);
    expect(out.html).toContain('<p>Setting the password failed. The password was not changed.</p>');
    expect(out.html).toContain('Not done: the request failed.');
    expect(out.html).toMatch(/color:#107c10">done</);
    expect(out.html).not.toMatch(/>succeeded</);
    expect(out.html).not.toMatch(/retr(y|ies) automatically/i);
  });

  it('a partial success names what was done and what was not; without an error it points at the run history', () => {
    const body = { ...failedBody, status: 'partial_success', error: undefined, steps: [{ name: 'a', status: 'already_done' }, { name: 'b', status: 'skipped' }] };
    const out = main(context({ Validate_payload: ok({ request: passwordResetRequest() }), Build_response: built(body) }));
    expect(out.html).toContain('Partly done:');
    expect(out.html).toContain('already done');
    expect(out.html).toContain('not attempted');
    expect(out.html).toContain('<strong>What to do next:</strong> Open the run in the run history');
  });

  it('links to the Azure portal when running in Azure', () => {
    const out = main(
      context(
        { Validate_payload: ok({ request: passwordResetRequest() }), Build_response: built(failedBody), Compose_notification_context: ok({ subscriptionId: 'sub-1', resourceGroup: 'rg-1' }) },
        {},
        'la-contoso.azurewebsites.net',
      ),
    );
    expect(out.html).toContain('https://portal.azure.com/#resource/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Web/sites/la-contoso/logicApp');
  });
});
