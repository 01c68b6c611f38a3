import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import defaultExchange from '../../../local/standins/automation/fixtures/default-exchange.json' with { type: 'json' };
import { startAutomationStandIn, type AutomationStandIn } from '../../../local/standins/automation/index.js';
import { startIdentityStandIn, type IdentityStandIn } from '../../../local/standins/identity/index.js';
import { mintLocalToken } from '../../../local/standins/identity/token.js';
import { describeWithTools } from '../../support/tools.js';
import { EXCHANGE_RECIPIENT_ADMINISTRATOR, startSignInDouble, type SignInDouble } from './msp-support.js';

/**
 * msp mode (issue 13): one Automation account runs the runbooks for several customer organizations. Each job's
 * runbook (runbooks/shared/ExchangeConnection.ps1) gets the MSP identity's assertion from the sandbox's identity
 * endpoint, exchanges it in the customer's tenant for an Exchange Online token, and connects with -AccessToken; the
 * stand-in serves each session from the organization of its token's tenant, as Exchange Online does.
 * Sources: https://learn.microsoft.com/azure/automation/add-user-assigned-identity (sandbox token request),
 * https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity (exchange),
 * https://learn.microsoft.com/powershell/module/exchangepowershell/connect-exchangeonline (-AccessToken, -Organization).
 */

const MSP_TENANT = '0b1c2d3e-0000-4000-8000-000000000001';
const CONTOSO_TENANT = 'c0c0c0c0-0000-4000-8000-000000000002';
const FABRIKAM_TENANT = 'fa0fa0fa-0000-4000-8000-000000000003';
const APP_CLIENT_ID = '7a1b2c3d-0000-4000-8000-0000000000aa';
const MSP_IDENTITY = { objectId: '5e6f7a8b-0000-4000-8000-0000000000bb', clientId: '9c8d7e6f-0000-4000-8000-0000000000cc' };
const CONTOSO = 'contoso.onmicrosoft.com';
const FABRIKAM = 'fabrikam.onmicrosoft.com';
const CONVERT = 'Convert-ToSharedMailbox';

// Fabrikam has an Adele Vance too: a ticket routed to the wrong organization must not find Contoso's.
const fabrikamExchange = {
  Organization: FABRIKAM,
  AcceptedDomains: ['fabrikam.com', FABRIKAM],
  Mailboxes: [{ UserPrincipalName: 'adele.vance@fabrikam.com', PrimarySmtpAddress: 'adele.vance@fabrikam.com', DisplayName: 'Adele Vance', Alias: 'AdeleV', RecipientTypeDetails: 'UserMailbox' }],
};

const ACCOUNT = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-msp/providers/Microsoft.Automation/automationAccounts/aa-msp';
const armHeaders = { authorization: `Bearer ${mintLocalToken({ aud: 'https://management.azure.com/', oid: 'msp-test' })}`, 'content-type': 'application/json' };

const typeOf = (aa: AutomationStandIn, tenant: string, address: string) =>
  aa.organizations?.byTenant(tenant)?.exchange.snapshot().Mailboxes.find((m) => m.PrimarySmtpAddress === address)?.RecipientTypeDetails;

async function runJob(aa: AutomationStandIn, name: string, runbook: string, parameters: Record<string, string>) {
  const url = `${aa.url}${ACCOUNT}/jobs/${name}?api-version=2023-11-01`;
  expect((await fetch(url, { method: 'PUT', headers: armHeaders, body: JSON.stringify({ properties: { runbook: { name: runbook }, parameters } }) })).status).toBe(201);
  for (;;) {
    const { properties } = (await (await fetch(url, { headers: armHeaders })).json()) as { properties: { status: string; exception: string | null } };
    if (['Completed', 'Failed', 'Stopped'].includes(properties.status)) {
      const output = await (await fetch(`${aa.url}${ACCOUNT}/jobs/${name}/output?api-version=2023-11-01`, { headers: armHeaders })).text();
      const streams = await (await fetch(`${aa.url}${ACCOUNT}/jobs/${name}/streams?api-version=2023-11-01`, { headers: armHeaders })).text();
      return { status: properties.status, exception: properties.exception, output, streams };
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Setup {
  identity: IdentityStandIn;
  signIn: SignInDouble;
  aa: AutomationStandIn;
}

async function startMsp(runbookEngine: 'pwsh' | 'typescript'): Promise<Setup> {
  const identity = await startIdentityStandIn({
    tenantId: MSP_TENANT,
    apps: [{ name: 'automation', principals: [{ objectId: '3c9b2f6e-0000-4000-8000-0000000000dd', clientId: '3c9b2f6e-0000-4000-8000-0000000000ee' }] }],
    userAssigned: [MSP_IDENTITY],
  });
  const signIn = await startSignInDouble({
    appClientId: APP_CLIENT_ID,
    subject: MSP_IDENTITY.objectId,
    tenants: [
      { tenantId: CONTOSO_TENANT, domains: [CONTOSO, 'contoso.com'], consented: true, wids: [EXCHANGE_RECIPIENT_ADMINISTRATOR], servicePrincipalId: 'sp-contoso' },
      { tenantId: FABRIKAM_TENANT, domains: [FABRIKAM, 'fabrikam.com'], consented: true, wids: [EXCHANGE_RECIPIENT_ADMINISTRATOR], servicePrincipalId: 'sp-fabrikam' },
    ],
  });
  const aa = await startAutomationStandIn({
    runbookEngine,
    jobLatencyMs: 20,
    msp: {
      organizations: [
        { tenantId: CONTOSO_TENANT, exchange: defaultExchange },
        { tenantId: FABRIKAM_TENANT, exchange: fabrikamExchange },
      ],
      identity: { endpoint: identity.url, header: identity.env('automation').IDENTITY_HEADER },
      authorityHost: signIn.url,
      appClientId: APP_CLIENT_ID,
      identityClientId: MSP_IDENTITY.clientId,
    },
  });
  return { identity, signIn, aa };
}

const stopAll = async (s: Setup | undefined) => {
  await s?.aa.stop();
  await Promise.all([s?.signIn.stop(), s?.identity.stop()]);
};

describeWithTools('pwsh')('Automation stand-in, msp mode: the real runbooks reach each customer organization with its own token', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await startMsp('pwsh');
  }, 60_000);
  afterAll(() => stopAll(s));

  it('a job for Contoso changes only Contoso; one for Fabrikam only Fabrikam; a misrouted one changes nothing', async () => {
    const contoso = await runJob(s.aa, 'j1', CONVERT, { UserPrincipalName: 'nestor.wilke@contoso.com', Organization: CONTOSO });
    expect(contoso.status, contoso.exception ?? '').toBe('Completed');
    expect(contoso.output).toContain(`Connected to Exchange Online organization ${CONTOSO}.`);
    expect(typeOf(s.aa, CONTOSO_TENANT, 'nestor.wilke@contoso.com')).toBe('SharedMailbox');

    const fabrikam = await runJob(s.aa, 'j2', CONVERT, { UserPrincipalName: 'adele.vance@fabrikam.com', Organization: FABRIKAM });
    expect(fabrikam.status, fabrikam.exception ?? '').toBe('Completed');
    expect(typeOf(s.aa, FABRIKAM_TENANT, 'adele.vance@fabrikam.com')).toBe('SharedMailbox');
    expect(typeOf(s.aa, CONTOSO_TENANT, 'adele.vance@contoso.com')).toBe('UserMailbox');

    // Contoso's address sent to Fabrikam's organization: Fabrikam's Exchange has no such object.
    const misrouted = await runJob(s.aa, 'j3', CONVERT, { UserPrincipalName: 'adele.vance@contoso.com', Organization: FABRIKAM });
    expect(misrouted.status).toBe('Failed');
    expect(misrouted.exception).toMatch(/^The operation couldn't be performed because object 'adele.vance@contoso.com' couldn't be found/);
    expect(typeOf(s.aa, CONTOSO_TENANT, 'adele.vance@contoso.com')).toBe('UserMailbox');

    // Each job asked its customer's tenant for the token, with the client-assertion form and nothing else.
    expect(s.signIn.requests.map((r) => r.tenant)).toEqual([CONTOSO, FABRIKAM, FABRIKAM]);
    for (const r of s.signIn.requests) expect(r.fields).toEqual(['client_assertion', 'client_assertion_type', 'client_id', 'grant_type', 'scope']);
    // Every Exchange call carried its session's organization.
    const calls = s.aa.exchangeCalls();
    expect(calls.filter((c) => c.organization === CONTOSO).map((c) => c.cmdlet)).toEqual(['Connect-ExchangeOnline', 'Get-Mailbox', 'Set-Mailbox', 'Get-Mailbox']);
    expect(calls.every((c) => c.organization === CONTOSO || c.organization === FABRIKAM)).toBe(true);

    // No token in any job output or stream.
    for (const job of [contoso, fabrikam, misrouted]) expect(`${job.output}\n${job.streams}\n${job.exception ?? ''}`).not.toMatch(/eyJ[\w-]+\./);
  }, 120_000);

  it('refuses a job without -Organization before asking for any token', async () => {
    const before = s.signIn.requests.length;
    const job = await runJob(s.aa, 'j4', CONVERT, { UserPrincipalName: 'nestor.wilke@contoso.com' });
    expect(job.status).toBe('Failed');
    expect(job.exception).toMatch(/^-Organization is required in msp mode/);
    expect(s.signIn.requests.length).toBe(before);
  }, 60_000);

  it('fails with Entra ID\'s reason when the customer has not consented, and changes nothing (AADSTS700016)', async () => {
    const fabrikam = s.signIn.tenants[1]!;
    fabrikam.consented = false;
    try {
      const job = await runJob(s.aa, 'j5', 'Set-MailboxOffboarding', { UserPrincipalName: 'adele.vance@fabrikam.com', Organization: FABRIKAM });
      expect(job.status).toBe('Failed');
      expect(job.exception).toMatch(new RegExp(`^The customer's tenant ${FABRIKAM} did not issue an Exchange Online token to the app ${APP_CLIENT_ID}: AADSTS700016: `));
      expect(job.exception).toMatch(/granted admin consent/);
      expect(job.exception).not.toMatch(/eyJ/);
    } finally {
      fabrikam.consented = true;
    }
  }, 60_000);
});

describeWithTools('pwsh')('Automation stand-in, msp mode: the TypeScript models connect as the runbooks do', () => {
  let real: Setup;
  let model: Setup;
  beforeAll(async () => {
    [real, model] = await Promise.all([startMsp('pwsh'), startMsp('typescript')]);
  }, 60_000);
  afterAll(() => Promise.all([stopAll(real), stopAll(model)]));

  const JOBS: Array<[string, Record<string, string>]> = [
    ['Set-SharedMailboxPermission', { SharedMailboxEmail: 'support@contoso.com', UserEmail: 'adele.vance@contoso.com', PermissionType: 'Send As', Action: 'Grant', Organization: CONTOSO }],
    [CONVERT, { UserPrincipalName: 'adele.vance@fabrikam.com', Organization: FABRIKAM }],
    [CONVERT, { UserPrincipalName: 'adele.vance@contoso.com', Organization: FABRIKAM }],
    [CONVERT, { UserPrincipalName: 'adele.vance@contoso.com' }],
    [CONVERT, { UserPrincipalName: 'adele.vance@contoso.com', Organization: 'contoso.com' }],
  ];

  it('same status, exception and RESULT, and the same state in every organization', async () => {
    const ends = async (s: Setup) => {
      const out = [];
      for (const [i, [runbook, parameters]] of JOBS.entries()) {
        const job = await runJob(s.aa, `p${i}`, runbook, parameters);
        out.push({ status: job.status, exception: job.exception, result: job.output.split('\n').find((l) => l.startsWith('RESULT: ')) ?? null });
      }
      return out;
    };
    const [a, b] = await Promise.all([ends(real), ends(model)]);
    expect(a.map((e) => e.status)).toEqual(['Completed', 'Completed', 'Failed', 'Failed', 'Failed']);
    expect(b).toEqual(a);
    for (const tenant of [CONTOSO_TENANT, FABRIKAM_TENANT]) {
      expect(model.aa.organizations?.byTenant(tenant)?.exchange.snapshot()).toEqual(real.aa.organizations?.byTenant(tenant)?.exchange.snapshot());
    }
  }, 180_000);
});

describe('Automation stand-in, msp mode: /connect and /cmdlet bind a session to its token\'s tenant', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await startMsp('typescript');
  });
  afterAll(() => stopAll(s));

  const exchangeToken = (tid: string, more: Record<string, unknown> = {}) =>
    mintLocalToken({ aud: 'https://outlook.office365.com', tid, oid: `sp-${tid}`, appid: APP_CLIENT_ID, roles: ['Exchange.ManageAsApp'], wids: [EXCHANGE_RECIPIENT_ADMINISTRATOR], ...more });
  const post = async (path: string, token: string, body: unknown) =>
    (await (await fetch(`${s.aa.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as {
      ok?: boolean;
      output?: Array<Record<string, unknown>>;
      error?: { message: string; exceptionType: string };
    };

  it('connects with a customer tenant\'s token to that tenant\'s organization', async () => {
    expect(await post('/connect', exchangeToken(FABRIKAM_TENANT), { organization: FABRIKAM, accessToken: true })).toEqual({ ok: true });
    const found = await post('/cmdlet', exchangeToken(FABRIKAM_TENANT), { cmdlet: 'Get-Mailbox', parameters: { Identity: 'adele.vance@fabrikam.com' }, organization: FABRIKAM });
    expect(found.output?.[0]?.PrimarySmtpAddress).toBe('adele.vance@fabrikam.com');
  });

  // Undocumented: Exchange Online answers a token its organization did not issue with 401, which module 3.x reports
  // as "UnAuthorized" (observed, MicrosoftDocs/office-docs-powershell#10908); the rest of the sentence is the stand-in's.
  it('refuses tenant A\'s token with -Organization of tenant B, on connect and on every cmdlet, changing nothing', async () => {
    const refused = await post('/connect', exchangeToken(CONTOSO_TENANT), { organization: FABRIKAM, accessToken: true });
    expect(refused.error?.message).toBe(`UnAuthorized: the access token was not issued by the tenant of organization '${FABRIKAM}' (Connect-ExchangeOnline failed).`);
    expect(refused.error?.exceptionType).toBe('System.UnauthorizedAccessException');
    const write = await post('/cmdlet', exchangeToken(CONTOSO_TENANT), { cmdlet: 'Set-Mailbox', parameters: { Identity: 'adele.vance@fabrikam.com', Type: 'Shared' }, organization: FABRIKAM });
    expect(write.error?.message).toMatch(/^UnAuthorized/);
    expect(typeOf(s.aa, FABRIKAM_TENANT, 'adele.vance@fabrikam.com')).toBe('UserMailbox');
    // A tenant this account hosts no organization for.
    expect((await post('/connect', exchangeToken('99999999-0000-4000-8000-000000000009'), { organization: FABRIKAM, accessToken: true })).error?.message).toMatch(/^UnAuthorized/);
  });

  it('checks the app\'s permissions from the token: Exchange.ManageAsApp and an Exchange role (app-only auth, Steps 2 and 5)', async () => {
    // https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2
    expect((await post('/connect', exchangeToken(CONTOSO_TENANT, { roles: [] }), { organization: CONTOSO, accessToken: true })).error?.message).toBe('UnAuthorized');
    expect((await post('/connect', exchangeToken(CONTOSO_TENANT, { wids: [] }), { organization: CONTOSO, accessToken: true })).error?.message).toMatch(
      new RegExp(`^The role assigned to application ${APP_CLIENT_ID} isn't supported in this scenario`),
    );
  });

  it('gives the Automation account\'s own managed identity no organization: it lives in the MSP\'s tenant', async () => {
    const own = mintLocalToken({ aud: 'https://outlook.office365.com/', oid: 'automation', roles: ['Exchange.ManageAsApp'] });
    expect((await post('/connect', own, { organization: CONTOSO, managedIdentity: true })).error?.message).toBe('UnAuthorized');
    expect((await post('/cmdlet', own, { cmdlet: 'Get-Mailbox', parameters: { Identity: 'nestor.wilke@contoso.com' } })).error?.message).toBe('UnAuthorized');
  });

  it('serves the sandbox identity endpoint only with the account\'s X-IDENTITY-HEADER (Learn: add-user-assigned-identity)', async () => {
    const url = `${s.aa.url}/sandbox/identity?resource=${encodeURIComponent('api://AzureADTokenExchange')}&client_id=${MSP_IDENTITY.clientId}`;
    expect((await fetch(url, { headers: { 'X-IDENTITY-HEADER': 'wrong' } })).status).toBe(401);
  });

  it('lists the hosted organizations and gives each one\'s state', async () => {
    const list = (await (await fetch(`${s.aa.url}/_admin/organizations`)).json()) as { value: unknown[] };
    expect(list.value).toEqual([
      { tenantId: CONTOSO_TENANT, organization: CONTOSO },
      { tenantId: FABRIKAM_TENANT, organization: FABRIKAM },
    ]);
    const fabrikam = (await (await fetch(`${s.aa.url}/_admin/organizations/${FABRIKAM_TENANT}/exchange`)).json()) as { Organization: string };
    expect(fabrikam.Organization).toBe(FABRIKAM);
    expect((await fetch(`${s.aa.url}/_admin/organizations/unknown/exchange`)).status).toBe(404);
    const vars = (await (await fetch(`${s.aa.url}/_admin/variables`)).json()) as Record<string, unknown>;
    expect(vars).toMatchObject({ DeploymentMode: 'msp', MspAppClientId: APP_CLIENT_ID, MspIdentityClientId: MSP_IDENTITY.clientId, ExchangeOrganization: '' });
  });
});
