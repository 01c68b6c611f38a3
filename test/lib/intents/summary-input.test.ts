import { describe, expect, it } from 'vitest';
import type { InlineContext } from '../../../lib/inline/context.js';
import { summaryInputSchema, toInlineContext, type SummaryInput } from '../../../lib/intents/summary-input.js';
import { INTENT_SUMMARIES } from '../../../lib/intents/summary-registry.js';
import { ok, passwordResetRequest } from '../inline/fake-context.js';

/**
 * The summaries were written against the JavaScriptCode workflowContext; the helper rebuilds it from the
 * Summarise action's body. The same run must give the same outcome both ways.
 */
function asWorkflowSends(ctx: InlineContext, actions: readonly string[]): SummaryInput {
  const headers = ctx.trigger?.outputs?.headers ?? {};
  const routerRunId = Object.entries(headers).find(([k]) => k.toLowerCase() === 'x-thread-router-run-id')?.[1] ?? null;
  const sent = {
    request: ctx.trigger?.outputs?.body,
    routerRunId,
    run: { workflow: ctx.workflow?.name ?? null, name: ctx.workflow?.run?.name ?? null },
    // What @actions('<name>') gives for each action the summary reads (JSON, as it travels).
    actions: Object.fromEntries(actions.map((name) => [name, ctx.actions[name] ?? { name, status: 'Skipped' }])),
  };
  return summaryInputSchema.parse(JSON.parse(JSON.stringify(sent)));
}

const LINK = { id: 'lnk1', url: 'https://helpers.test/api/secret/lnk1#k=KEY', expiresAt: '2026-12-06T14:05:00.000Z' };
const plan = {
  intent: 'password-reset',
  user: { id: 'u-1', userPrincipalName: 'adele.vance@contoso.com', displayName: 'Adele Vance', accountEnabled: true },
  forceChangeOnLogin: true,
  passwordSource: 'generated',
  changes: [{ step: 'set_password', target: 'adele.vance@contoso.com', description: 'Set a new password' }],
  notes: [],
};

describe('summary input → workflowContext', () => {
  it('gives the password-reset summary the same answer as inline code did', () => {
    const ctx: InlineContext = {
      actions: {
        Plan_password_reset: ok({ plan }),
        // The workflow sends only status, status code and the link of the secured prepare step.
        Prepare_temporary_password: { name: 'Prepare_temporary_password', status: 'Succeeded', outputs: { statusCode: 200, body: { link: LINK } } },
        Set_password_via_Graph: { name: 'Set_password_via_Graph', status: 'Failed', outputs: { statusCode: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } } },
        Revoke_password_link: ok({ revoked: true }),
      },
      trigger: { outputs: { headers: {}, body: passwordResetRequest({ fields: { userEmail: 'adele.vance@contoso.com', forceChangeOnLogin: true } }) } },
      workflow: { name: 'password-reset', run: { name: 'RUN-1' } },
    };
    const summary = INTENT_SUMMARIES['password-reset'];
    const viaHelper = summary.main(toInlineContext(asWorkflowSends(ctx, summary.dependsOn.actions)));
    expect(viaHelper).toEqual(summary.main(ctx));
    // The Graph 403 is still named by the action (secured inputs): the permission the Logic App lacks.
    expect(JSON.stringify(viaHelper)).toContain('User.ReadWrite.All');
  });

  it('keeps what an early `accepted` answer needs: the router run, this workflow and its run', () => {
    const collected = { plan: { name: 'Plan_add_user_to_group', status: 'Failed', outputs: { statusCode: 404, body: { error: { code: 'not_found', message: 'No user jane@contoso.com.', fix: 'Check the address.', step: 'resolve_user' } } } }, graph: [], exchange: [] };
    const ctx: InlineContext = {
      actions: { Collect_change_results: { name: 'Collect_change_results', status: 'Succeeded', outputs: collected as never }, Respond_accepted: { name: 'Respond_accepted', status: 'Succeeded' } },
      trigger: {
        outputs: {
          headers: { 'x-thread-router-run-id': 'ROUTER-RUN-1' },
          body: { intent: 'add-user-to-group', intentName: 'Add User to Group', ticketId: 5, dryRun: false, meta: { contactName: 'Pat' }, fields: { userEmail: 'jane@contoso.com', groupNames: ['Sales'] } },
        },
      },
      workflow: { name: 'add-user-to-group', run: { name: 'CHILD-RUN-1' } },
    };
    const summary = INTENT_SUMMARIES['add-user-to-group'];
    const viaHelper = summary.main(toInlineContext(asWorkflowSends(ctx, summary.dependsOn.actions))) as { async?: { final: { run_id: string }; notification: { html: string } | null } };
    expect(viaHelper).toEqual(summary.main(ctx));
    expect(viaHelper.async?.final.run_id).toBe('ROUTER-RUN-1');
    expect(viaHelper.async?.notification?.html).toContain('CHILD-RUN-1');
  });

  it('treats the nulls Logic Apps gives for a skipped action as absent', () => {
    const input = summaryInputSchema.parse({ request: {}, actions: { Set_password_via_Graph: { name: 'Set_password_via_Graph', status: 'Skipped', code: null, error: null, outputs: { statusCode: null, body: null } } } });
    expect(toInlineContext(input).actions.Set_password_via_Graph).toEqual({ name: 'Set_password_via_Graph', status: 'Skipped', outputs: { statusCode: null, body: null } });
    expect(toInlineContext(input).actions.Other).toBeUndefined();
  });
});
