import { afterAll, beforeAll, describe, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../local/system.js';
import { postWebhook, waitForRun, graphWritesSince, lastGraphSeq } from './support/webhook-harness.js';

let sys: LocalSystem;
let ticket = 990_000;
const meta = () => ({ ticket_id: ++ticket, contact_name: 'Megan Bowen', contact_email: 'megan.bowen@contoso.com', company_name: 'Contoso' });
beforeAll(async () => { sys = await startLocalSystem({ timeScale: 0.01 }); }, 120_000);
afterAll(async () => { await sys?.stop(); });

describe('explore', () => {
  it('dollar upn', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['New User Creation', { 'Display Name': 'Dollar Svc', Email: '$svc-new@contoso.com', 'License SKU': 'Microsoft 365 E3', 'Usage Location': 'GB', 'Group Memberships': ['Marketing'] }],
      ['License Assignment', { 'User Email': '$svc-backup@contoso.com', 'License SKU': 'Microsoft 365 E3', 'Usage Location': 'GB' }],
      ['Remove User from Group', { 'User Email': '$svc-backup@contoso.com', 'Group Name': 'Marketing' }],
      ['User Offboarding', { 'User Email': '$svc-backup@contoso.com', 'Remove Groups': 'Yes', 'Hide from GAL': 'Yes' }],
      ['Shared Mailbox Permission', { 'User Email': '$svc-backup@contoso.com', 'Mailbox': 'info@contoso.com', 'Permission Type': 'Full Access', 'Action': 'Grant' }],
    ];
    for (const [intent, fields] of cases) {
      const seq = lastGraphSeq(sys);
      const res = await postWebhook(sys, { intent_name: intent, intent_fields: fields, meta_data: meta() });
      await waitForRun(sys, res.runId);
      console.log(intent, res.status, JSON.stringify(res.body, null, 1).slice(0, 2500), graphWritesSince(sys, seq));
    }
  }, 120_000);
});
