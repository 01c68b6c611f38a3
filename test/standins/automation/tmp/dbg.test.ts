import { it, expect } from 'vitest';
import { startAutomationStandIn } from '../../../../local/standins/automation/index.js';
import { mintLocalToken } from '../../../../local/standins/identity/token.js';
const ACCOUNT = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Automation/automationAccounts/aa';
const h = { authorization: `Bearer ${mintLocalToken({ aud: 'https://management.azure.com/', oid: 'x' })}`, 'content-type': 'application/json' };
it('dbg', async () => {
  const aa = await startAutomationStandIn({ runbookEngine: 'pwsh', jobLatencyMs: 20 });
  const jobs: Array<Record<string, string>> = [
    { SharedMailboxEmail: 'info@contoso.com', UserEmail: 'megan.bowen@contoso.com', PermissionType: 'Send As', Action: 'Revoke' },
    { SharedMailboxEmail: 'billing@contoso.com', UserEmail: 'adele.vance@contoso.com', PermissionType: 'Send on Behalf', Action: 'Grant' },
    { SharedMailboxEmail: 'billing@contoso.com', UserEmail: 'patti.fernandez@contoso.com', PermissionType: 'Send on Behalf', Action: 'Grant' },
    { SharedMailboxEmail: 'support@contoso.com', UserEmail: "conor.o'brien@contoso.com", PermissionType: 'Send As', Action: 'Grant' },
  ];
  for (const [i, p] of jobs.entries()) {
    const t0 = Date.now();
    await fetch(`${aa.url}${ACCOUNT}/jobs/j${i}?api-version=1`, { method: 'PUT', headers: h, body: JSON.stringify({ properties: { runbook: { name: 'Set-SharedMailboxPermission' }, parameters: p } }) });
    for (let n = 0; ; n++) {
      const j = (await (await fetch(`${aa.url}${ACCOUNT}/jobs/j${i}?api-version=1`, { headers: h })).json()) as any;
      if (['Completed', 'Failed'].includes(j.properties.status) || n > 1500) { console.log(i, j.properties.status, j.properties.exception, Date.now() - t0, aa.exchangeCalls().slice(-3)); break; }
      await new Promise((r) => setTimeout(r, 40));
    }
  }
  await aa.stop();
}, 300000);
