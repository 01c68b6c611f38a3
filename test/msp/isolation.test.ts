import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mintLocalToken } from '../../local/standins/identity/token.js';
import { LOCAL_MSP } from '../../local/standins/identity/signin/index.js';
import { deploymentModeFromEnv, startLocalSystem, type LocalSystem } from '../../local/system.js';
import type { WebhookBody } from '../workflows/support/webhook-harness.js';

/**
 * Isolation between customers in msp mode (issue 13, item 4), end to end on the local system: Contoso and Fabrikam
 * are two tenants with colliding names (adele.vance@ in both), one deployment serves both through per-customer URLs.
 *
 * What is checked, and where the rule comes from:
 * - A request for a customer presents only that customer's tokens: an app-only token is issued for one tenant and
 *   names it in `tid` (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference); the Graph
 *   stand-in's request log records the `tid` of every call, the sign-in stand-in every token request, and the
 *   Automation stand-in the organization of every Exchange call (served only for a token of that tenant).
 * - A ticket naming an address outside the customer's verified domains changes nothing and says why
 *   (docs/msp-mode.md, "Isolation of addresses").
 * - `customer:remove` (Status=removed in the registry) refuses the customer's URL from the next request on, and a
 *   wrong key or unknown customer is refused (infra/README.md, "Per-customer webhook URL"; docs/msp-mode.md,
 *   "Resolving the customer of a webhook call").
 */
let sys: LocalSystem;
let ticket = 880_000;

const CONTOSO = () => sys.msp!.customers.contoso;
const FABRIKAM = () => sys.msp!.customers.fabrikam;
const fabrikamGraph = () => sys.graph.admin.forTenant(FABRIKAM().tenantId);

interface Answer {
  status: number;
  body: WebhookBody;
  runId: string;
}

async function post(url: string, intent: string, fields: Record<string, unknown>, contact = 'megan.bowen@contoso.com'): Promise<Answer> {
  const payload = { intent_name: intent, intent_fields: fields, meta_data: { ticket_id: ++ticket, contact_name: 'Megan Bowen', contact_email: contact, company_name: 'Help desk' } };
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
  const text = await res.text();
  let body: WebhookBody;
  try {
    body = JSON.parse(text) as WebhookBody;
  } catch {
    body = { message: text };
  }
  return { status: res.status, body, runId: res.headers.get('x-ms-workflow-run-id') ?? '' };
}

/**
 * The final answer of a request: a runbook job that outlasts the router's synchronous window is answered 202 with a
 * status URL (docs/workflow-design.md), read here until the outcome is recorded.
 */
async function finalAnswer(res: Answer): Promise<WebhookBody> {
  if (res.status !== 202) return res.body;
  const url = String(res.body.status_url);
  for (let i = 0; i < 4800; i++) {
    const poll = await fetch(url);
    if (poll.status === 200) return (await poll.json()) as WebhookBody;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the accepted request never recorded its outcome (${url})`);
}

/** Waits until the router run (and what it started) has ended, so the logs below are complete. */
async function settled(runId: string): Promise<void> {
  if (!runId) return;
  for (let i = 0; i < 1200; i++) {
    const run = sys.runtime.history.getRun('thread-webhook', runId);
    if (run && run.status !== 'Running' && run.status !== 'Waiting') return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`router run ${runId} did not finish`);
}

const graphSeq = () => sys.graph.admin.requests().at(-1)?.seq ?? 0;
const signInCount = () => sys.msp!.signIn.requests().length;
const exchangeCount = () => sys.automation.exchangeCalls().length;
const jobCount = () => sys.automation.jobs().length;

/** What every Graph call since `seq` reached, as "tenant METHOD path status" (tenant = the token's tid). */
const graphCallsSince = (seq: number) => sys.graph.admin.requests(seq).map((r) => `${r.tenant ?? '(no tenant)'} ${r.method} ${r.path} ${r.status}`);
const graphWritesSince = (seq: number) => sys.graph.admin.requests(seq).filter((r) => r.method !== 'GET' && !r.path.endsWith('/$batch'));
const tenantsOfGraphCalls = (seq: number) => [...new Set(sys.graph.admin.requests(seq).map((r) => r.tenant ?? '(no tenant)'))];
const tenantsOfTokenRequests = (from: number) => [...new Set(sys.msp!.signIn.requests().slice(from).map((r) => r.tenantId ?? r.tenant))];

function userIn(tenant: 'contoso' | 'fabrikam', upn: string): Record<string, unknown> {
  const admin = tenant === 'contoso' ? sys.graph.admin : fabrikamGraph();
  const users = admin.tenant().users as unknown as Array<Record<string, unknown>>;
  const user = users.find((u) => String(u.userPrincipalName).toLowerCase() === upn.toLowerCase());
  if (!user) throw new Error(`no user ${upn} in ${tenant}`);
  return user;
}

const fullAccessOn = (tenant: 'contoso' | 'fabrikam', mailbox: string) => {
  const org = sys.automation.organizations?.byTenant(tenant === 'contoso' ? CONTOSO().tenantId : FABRIKAM().tenantId);
  if (!org) throw new Error(`no Exchange organization for ${tenant}`);
  const state = org.exchange.snapshot() as unknown as { Mailboxes: Array<{ PrimarySmtpAddress: string; FullAccess: Array<{ User: string }> }> };
  return state.Mailboxes.find((m) => m.PrimarySmtpAddress.toLowerCase() === mailbox)?.FullAccess.map((f) => f.User) ?? [];
};

function withQuery(url: string, name: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.toString();
}

beforeAll(async () => {
  sys = await startLocalSystem({ mode: 'msp', timeScale: 0.01, jobLatencyMs: 200 });
}, 120_000);

afterEach(async () => {
  // A test that removes a customer puts it back, so a failure there does not hide the other tests' results.
  await sys.msp?.setCustomerStatus('fabrikam', 'active');
});

afterAll(async () => {
  await sys?.stop();
});

describe('msp mode: the local system', () => {
  it('serves two customers, each with its own URL that carries its id and key', () => {
    expect(sys.mode).toBe('msp');
    const contoso = new URL(CONTOSO().webhook);
    const fabrikam = new URL(FABRIKAM().webhook);
    expect(contoso.searchParams.get('customer')).toBe('contoso');
    expect(fabrikam.searchParams.get('customer')).toBe('fabrikam');
    expect(contoso.searchParams.get('customerKey')).not.toBe(fabrikam.searchParams.get('customerKey'));
    expect(sys.endpoints.webhook).toBe(CONTOSO().webhook);
    expect(sys.endpoints.customers).toEqual({ contoso: CONTOSO().webhook, fabrikam: FABRIKAM().webhook });
    expect(CONTOSO()).toMatchObject({ tenantId: sys.graph.tenantIds()[0], exchangeOrganization: 'contoso.onmicrosoft.com' });
    expect(FABRIKAM()).toMatchObject({ exchangeOrganization: 'fabrikam.onmicrosoft.com', domains: ['fabrikam.com', 'fabrikam.onmicrosoft.com'] });
  });

  it('configures every piece with msp mode\'s settings and no secret (docs/msp-mode.md, "Settings")', async () => {
    expect(sys.logicAppSettings.DEPLOYMENT_MODE).toBe('msp');
    expect(process.env).toMatchObject({ DEPLOYMENT_MODE: 'msp', MSP_APP_CLIENT_ID: LOCAL_MSP.appId, MSP_IDENTITY_CLIENT_ID: LOCAL_MSP.identity.clientId, AZURE_AUTHORITY_HOST: sys.endpoints.signIn });
    // managed-identity would read the MSP's own directory; msp mode leaves it unset (customer-tenant by default).
    expect(process.env.GRAPH_AUTH_MODE).toBeUndefined();
    const variables = (await (await fetch(`${sys.endpoints.automation}/_admin/variables`)).json()) as Record<string, unknown>;
    expect(variables).toMatchObject({ DeploymentMode: 'msp', MspAppClientId: LOCAL_MSP.appId, MspIdentityClientId: LOCAL_MSP.identity.clientId, ExchangeOrganization: '' });
    const names = [...Object.keys(sys.logicAppSettings), ...Object.keys(variables)].join(' ');
    expect(names).not.toMatch(/secret|certificate|password/i);
    // Both customers consented, with the manifest's directory roles (what customer:add verifies).
    for (const c of [CONTOSO(), FABRIKAM()]) {
      const sp = sys.msp!.directory.servicePrincipal(c.tenantId, LOCAL_MSP.appId);
      expect(sp?.appRoles.length, c.id).toBeGreaterThan(0);
      expect(sp?.directoryRoles.length, c.id).toBeGreaterThan(0);
    }
  });

  it('reads the mode from DEPLOYMENT_MODE, Azure\'s setting name, and refuses anything else', () => {
    expect(deploymentModeFromEnv({})).toBe('customer');
    expect(deploymentModeFromEnv({ DEPLOYMENT_MODE: 'msp' })).toBe('msp');
    expect(deploymentModeFromEnv({ DEPLOYMENT_MODE: 'customer' })).toBe('customer');
    expect(() => deploymentModeFromEnv({ DEPLOYMENT_MODE: 'MSP-hosted' })).toThrow(/DEPLOYMENT_MODE must be "customer" or "msp"/);
  });

  it('gives the helpers customer-tenant tokens through the federated credential, never a managed-identity Graph token', async () => {
    // The relay is what the workflows' Graph actions call in msp mode (docs/msp-mode.md, "The relay").
    const asLogicApp = mintLocalToken({ aud: 'api://thread-intent-helpers', oid: '6a1f4c3e-0b7d-4e55-9c1a-2f8e7d6c5b4a' });
    const seq = graphSeq();
    const from = signInCount();
    const res = await fetch(`${sys.endpoints.functions}/api/msp/graph/fabrikam/v1.0/users/adele.vance@fabrikam.com?$select=id,userPrincipalName`, { headers: { Authorization: `Bearer ${asLogicApp}` } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { userPrincipalName: string }).userPrincipalName).toBe('adele.vance@fabrikam.com');
    expect(tenantsOfGraphCalls(seq)).toEqual([FABRIKAM().tenantId]);
    // A token is requested once per tenant and cached; when one was requested here, it was for Fabrikam.
    expect(tenantsOfTokenRequests(from).filter((t) => t !== FABRIKAM().tenantId)).toEqual([]);
  });

  it('runs a runbook job against the organization it is given, with that tenant\'s token only', async () => {
    // The Automation account's variables are msp mode's (infra/modules/automation.bicep): DeploymentMode msp and the
    // app's and identity's client ids; the runbook connects with an app-only token of -Organization's tenant.
    const arm = mintLocalToken({ aud: 'https://management.azure.com/', oid: '6a1f4c3e-0b7d-4e55-9c1a-2f8e7d6c5b4a' });
    const account = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-thread-intents-local/providers/Microsoft.Automation/automationAccounts/aa-thread-intents-local';
    const calls = exchangeCount();
    const name = `msp-isolation-${Date.now()}`;
    const parameters = { SharedMailboxEmail: 'info@fabrikam.com', UserEmail: 'alex.wilber@fabrikam.com', PermissionType: 'Full Access', Action: 'Grant', AutoMapping: 'True', Organization: 'fabrikam.onmicrosoft.com' };
    const put = await fetch(`${sys.endpoints.automation}${account}/jobs/${name}?api-version=2023-11-01`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${arm}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ properties: { runbook: { name: 'Set-SharedMailboxPermission' }, parameters } }),
    });
    expect(put.status).toBe(201);
    let status = '';
    let exception = '';
    for (let i = 0; i < 2400 && !['Completed', 'Failed', 'Stopped', 'Suspended'].includes(status); i++) {
      await new Promise((r) => setTimeout(r, 25));
      const job = (await (await fetch(`${sys.endpoints.automation}${account}/jobs/${name}?api-version=2023-11-01`, { headers: { Authorization: `Bearer ${arm}` } })).json()) as { properties: { status: string; exception?: string } };
      status = job.properties.status;
      exception = job.properties.exception ?? '';
    }
    expect(status, exception).toBe('Completed');
    expect(fullAccessOn('fabrikam', 'info@fabrikam.com')).toContain('alex.wilber@fabrikam.com');
    expect(fullAccessOn('contoso', 'info@contoso.com')).not.toContain('alex.wilber@contoso.com');
    const organizations = new Set(sys.automation.exchangeCalls().slice(calls).map((c) => c.organization));
    expect([...organizations]).toEqual(['fabrikam.onmicrosoft.com']);
  });
});

describe('msp mode: a request reaches only its customer\'s tenant', () => {
  it('a Contoso request presents only Contoso tokens to Graph and changes only Contoso', async () => {
    const fabrikamBefore = userIn('fabrikam', 'adele.vance@fabrikam.com');
    const seq = graphSeq();
    const from = signInCount();
    const res = await post(CONTOSO().webhook, 'Password Reset', { 'User Email': 'adele.vance@contoso.com' });
    await settled(res.runId);

    expect(res.body.status, JSON.stringify(res.body)).toBe('success');
    expect(tenantsOfGraphCalls(seq), graphCallsSince(seq).join('\n')).toEqual([CONTOSO().tenantId]);
    expect(graphWritesSince(seq).map((w) => `${w.method} ${w.tenant}`)).toEqual([`PATCH ${CONTOSO().tenantId}`]);
    expect(tenantsOfTokenRequests(from).filter((t) => t !== CONTOSO().tenantId)).toEqual([]);
    expect(userIn('fabrikam', 'adele.vance@fabrikam.com')).toEqual(fabrikamBefore);
  });

  it('a Contoso runbook request connects to Contoso\'s Exchange organization only', async () => {
    const calls = exchangeCount();
    const jobs = jobCount();
    const from = signInCount();
    const res = await post(CONTOSO().webhook, 'Shared Mailbox Permission', { 'Shared Mailbox Email': 'support@contoso.com', 'User Email': 'alex.wilber@contoso.com', 'Permission Type': 'Full Access', Action: 'Grant' });
    const final = await finalAnswer(res);
    await settled(res.runId);

    expect(final.status, JSON.stringify(final)).toBe('success');
    expect(sys.automation.jobs().slice(jobs).map((j) => j.parameters.Organization)).toEqual(['contoso.onmicrosoft.com']);
    expect([...new Set(sys.automation.exchangeCalls().slice(calls).map((c) => c.organization))]).toEqual(['contoso.onmicrosoft.com']);
    const exchangeTokenTenants = sys.msp!.signIn.requests().slice(from).filter((r) => r.scope?.startsWith('https://outlook.office365.com'));
    expect([...new Set(exchangeTokenTenants.map((r) => r.tenantId ?? r.tenant))].filter((t) => t !== CONTOSO().tenantId && t !== 'contoso.onmicrosoft.com')).toEqual([]);
    expect(fullAccessOn('contoso', 'support@contoso.com')).toContain('alex.wilber@contoso.com');
    expect(fullAccessOn('fabrikam', 'info@fabrikam.com')).not.toContain('alex.wilber@contoso.com');
  });

  it('Fabrikam\'s URL acts only in Fabrikam, even for a name Contoso has too', async () => {
    const contosoBefore = userIn('contoso', 'adele.vance@contoso.com');
    const seq = graphSeq();
    const res = await post(FABRIKAM().webhook, 'Password Reset', { 'User Email': 'adele.vance@fabrikam.com' }, 'rob.young@fabrikam.com');
    await settled(res.runId);

    expect(res.body.status, JSON.stringify(res.body)).toBe('success');
    expect(tenantsOfGraphCalls(seq), graphCallsSince(seq).join('\n')).toEqual([FABRIKAM().tenantId]);
    expect(graphWritesSince(seq).map((w) => `${w.method} ${w.tenant}`)).toEqual([`PATCH ${FABRIKAM().tenantId}`]);
    expect(userIn('contoso', 'adele.vance@contoso.com')).toEqual(contosoBefore);
  });

  it('a misrouted ticket (a Fabrikam user through Contoso\'s URL) changes nothing and says why', async () => {
    const fabrikamBefore = userIn('fabrikam', 'adele.vance@fabrikam.com');
    const seq = graphSeq();
    const jobs = jobCount();
    const res = await post(CONTOSO().webhook, 'Password Reset', { 'User Email': 'adele.vance@fabrikam.com' });
    await settled(res.runId);

    expect(res.body.status, JSON.stringify(res.body)).not.toBe('success');
    // docs/msp-mode.md: requireAddressInCustomerDomains answers 400 address_outside_tenant, naming the allowed domains.
    expect(JSON.stringify(res.body)).toContain('address_outside_tenant');
    expect(String(res.body.message)).toMatch(/contoso\.com/);
    expect(graphWritesSince(seq)).toEqual([]);
    expect(tenantsOfGraphCalls(seq).filter((t) => t !== CONTOSO().tenantId)).toEqual([]);
    expect(sys.automation.jobs().length).toBe(jobs);
    expect(userIn('fabrikam', 'adele.vance@fabrikam.com')).toEqual(fabrikamBefore);
  });
});

describe('msp mode: the customer\'s URL is the key', () => {
  it('a wrong key is refused before anything is looked up', async () => {
    const seq = graphSeq();
    const res = await post(withQuery(CONTOSO().webhook, 'customerKey', 'not-the-key'), 'Password Reset', { 'User Email': 'adele.vance@contoso.com' });
    await settled(res.runId);

    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).toContain('bad_customer_key');
    expect(JSON.stringify(res.body)).not.toContain('not-the-key');
    expect(graphCallsSince(seq)).toEqual([]);
  });

  it('another customer\'s key with this customer\'s id is refused', async () => {
    const fabrikamKey = new URL(FABRIKAM().webhook).searchParams.get('customerKey') ?? '';
    const res = await post(withQuery(CONTOSO().webhook, 'customerKey', fabrikamKey), 'Password Reset', { 'User Email': 'adele.vance@contoso.com' });
    await settled(res.runId);
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).toContain('bad_customer_key');
  });

  it('an unknown customer and a URL without customer are refused', async () => {
    const unknown = await post(withQuery(CONTOSO().webhook, 'customer', 'northwind'), 'Password Reset', { 'User Email': 'adele.vance@contoso.com' });
    await settled(unknown.runId);
    expect(unknown.status).toBe(403);
    expect(JSON.stringify(unknown.body)).toContain('unknown_customer');

    const bare = new URL(CONTOSO().webhook);
    bare.searchParams.delete('customer');
    bare.searchParams.delete('customerKey');
    const none = await post(bare.toString(), 'Password Reset', { 'User Email': 'adele.vance@contoso.com' });
    await settled(none.runId);
    expect(none.status).toBe(403);
  });

  it('removing a customer refuses its URL from the next request on, and only its URL', async () => {
    await sys.msp!.setCustomerStatus('fabrikam', 'removed');
    const seq = graphSeq();
    const refused = await post(FABRIKAM().webhook, 'Password Reset', { 'User Email': 'adele.vance@fabrikam.com' }, 'rob.young@fabrikam.com');
    await settled(refused.runId);

    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain('customer_removed');
    expect(graphCallsSince(seq).filter((c) => c.startsWith(FABRIKAM().tenantId))).toEqual([]);

    const contoso = await post(CONTOSO().webhook, 'Password Reset', { 'User Email': 'alex.wilber@contoso.com' });
    await settled(contoso.runId);
    expect(contoso.body.status, JSON.stringify(contoso.body)).toBe('success');
  });
});
