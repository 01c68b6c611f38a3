import { AutomationClient } from '@azure/arm-automation';
import { ManagedIdentityCredential } from '@azure/identity';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAutomationStandIn, type AutomationStandIn } from '../../../local/standins/automation/index.js';
import { startIdentityStandIn, type IdentityStandIn } from '../../../local/standins/identity/index.js';
import { mintLocalToken } from '../../../local/standins/identity/token.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const RG = 'rg-thread';
const AA = 'aa-thread';
const ACCOUNT = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Automation/automationAccounts/${AA}`;
const API = 'api-version=2023-11-01';

let automation: AutomationStandIn;
let identity: IdentityStandIn;
let client: AutomationClient;
const savedEnv = { IDENTITY_ENDPOINT: process.env.IDENTITY_ENDPOINT, IDENTITY_HEADER: process.env.IDENTITY_HEADER };
const armToken = mintLocalToken({ aud: 'https://management.azure.com/', oid: 'tester' });

async function arm(method: string, path: string, body?: unknown, token: string | null = armToken): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(`${automation.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

/** Polls like a client would until the job is terminal; returns every status seen on the way. */
async function waitForJob(name: string): Promise<{ job: { properties: Record<string, unknown> }; seen: string[] }> {
  const seen: string[] = [];
  for (;;) {
    const res = await arm('GET', `${ACCOUNT}/jobs/${name}?${API}`);
    const job = (await res.json()) as { properties: { status: string } };
    if (seen.at(-1) !== job.properties.status) seen.push(job.properties.status);
    if (['Completed', 'Failed', 'Stopped'].includes(job.properties.status)) return { job, seen };
    await new Promise((r) => setTimeout(r, 5));
  }
}

beforeAll(async () => {
  identity = await startIdentityStandIn();
  automation = await startAutomationStandIn({ jobLatencyMs: 60 });
  Object.assign(process.env, identity.env());
  client = new AutomationClient(new ManagedIdentityCredential(), SUB, 'status', { baseUri: automation.url });
});

afterAll(async () => {
  for (const [k, v] of Object.entries(savedEnv)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
  await automation.stop();
  await identity.stop();
});

beforeEach(async () => {
  await fetch(`${automation.url}/_admin/reset`, { method: 'POST' });
});

describe('ARM jobs API through @azure/arm-automation', () => {
  it('creates a job, follows it to Completed and reads its output and streams', async () => {
    const created = await client.job.create(RG, AA, 'job-one', {
      runbook: { name: 'Set-SharedMailboxPermission' },
      parameters: { SharedMailboxEmail: 'support@contoso.com', UserEmail: 'adele.vance@contoso.com', PermissionType: 'Send As', Action: 'Grant' },
    });
    expect(created.status).toBe('New');
    expect(created.provisioningState).toBe('Processing');
    expect(created.jobId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.runbook?.name).toBe('Set-SharedMailboxPermission');

    const { seen } = await waitForJob('job-one');
    expect(seen.at(-1)).toBe('Completed');
    const done = await client.job.get(RG, AA, 'job-one');
    expect(done).toMatchObject({ status: 'Completed', provisioningState: 'Succeeded', exception: null });
    expect(done.startTime).toBeInstanceOf(Date);
    expect(done.endTime!.getTime()).toBeGreaterThanOrEqual(done.startTime!.getTime());

    const output = await client.job.getOutput(RG, AA, 'job-one');
    const chunks: Buffer[] = [];
    for await (const c of output.readableStreamBody!) chunks.push(c as Buffer);
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
    expect(lines.at(-1)).toBe(
      'RESULT: {"outcome":"applied","action":"grant_send_as","message":"Granted Send As on support@contoso.com to adele.vance@contoso.com.","details":{"mailbox":"support@contoso.com","user":"adele.vance@contoso.com","permissionType":"Send As"}}',
    );
    const streams = await client.jobStream.listByJob(RG, AA, 'job-one');
    expect(streams.map((s) => s.streamType)).toEqual(lines.map(() => 'Output'));
    const exchange = (await (await fetch(`${automation.url}/_admin/exchange`)).json()) as { Mailboxes: Array<{ PrimarySmtpAddress: string; SendAs: string[] }> };
    expect(exchange.Mailboxes.find((m) => m.PrimarySmtpAddress === 'support@contoso.com')?.SendAs).toEqual(['adele.vance@contoso.com']);
  });
});

describe('job lifecycle over raw HTTP', () => {
  it('passes through New, Activating and Running before a terminal status', async () => {
    const put = await arm('PUT', `${ACCOUNT}/jobs/lifecycle?${API}`, { properties: { runbook: { name: 'Convert-ToSharedMailbox' }, parameters: { UserPrincipalName: 'alex.wilber@contoso.com' } } });
    expect(put.status).toBe(201);
    const body = (await put.json()) as { id: string; name: string; type: string; properties: Record<string, unknown> };
    expect(body).toMatchObject({ id: `${ACCOUNT}/jobs/lifecycle`, name: 'lifecycle', type: 'Microsoft.Automation/AutomationAccounts/Jobs' });
    expect(body.properties).toMatchObject({ status: 'New', startTime: null, endTime: null, exception: null, parameters: { UserPrincipalName: 'alex.wilber@contoso.com' } });
    expect(String(body.properties.creationTime)).toMatch(/\+00:00$/);
    const { seen } = await waitForJob('lifecycle');
    // Polling may skip a short state, but order is fixed and it always ends Completed.
    const order = ['New', 'Activating', 'Running', 'Completed'];
    expect(seen.map((s) => order.indexOf(s))).toEqual([...seen.map((s) => order.indexOf(s))].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe('Completed');
  });

  it('fails the job with the runbook error in exception and the Error stream', async () => {
    await arm('PUT', `${ACCOUNT}/jobs/bad-mailbox?${API}`, {
      properties: { runbook: { name: 'set-sharedmailboxpermission' }, parameters: { SharedMailboxEmail: 'nope@contoso.com', UserEmail: 'adele.vance@contoso.com', PermissionType: 'Full Access', Action: 'Grant' } },
    });
    const { job } = await waitForJob('bad-mailbox');
    expect(job.properties).toMatchObject({ status: 'Failed', provisioningState: 'Failed' });
    expect(job.properties.exception).toMatch(/^The operation couldn't be performed because object 'nope@contoso.com' couldn't be found on '/);
    const streams = (await (await arm('GET', `${ACCOUNT}/jobs/bad-mailbox/streams?${API}&$filter=properties/streamType eq 'Error'`)).json()) as {
      value: Array<{ properties: { jobStreamId: string; streamType: string } }>;
    };
    expect(streams.value).toHaveLength(1);
    const one = (await (await arm('GET', `${ACCOUNT}/jobs/bad-mailbox/streams/${streams.value[0]!.properties.jobStreamId}?${API}`)).json()) as { properties: { streamText: string } };
    expect(one.properties.streamText).toBe(job.properties.exception);
  });

  it('fails the job on ValidateSet violations', async () => {
    await arm('PUT', `${ACCOUNT}/jobs/bad-set?${API}`, {
      properties: { runbook: { name: 'Set-DistributionGroupMember' }, parameters: { GroupIdentity: 'all-staff@contoso.com', MemberEmail: 'nestor.wilke@contoso.com', Action: 'Delete' } },
    });
    const { job } = await waitForJob('bad-set');
    expect(job.properties.status).toBe('Failed');
    expect(job.properties.exception).toMatch(/does not belong to the set "Add,Remove"/);
  });

  it('stops a running job before it changes anything', async () => {
    const slow = await startAutomationStandIn({ jobLatencyMs: 60_000 });
    try {
      const headers = { authorization: `Bearer ${armToken}`, 'content-type': 'application/json' };
      await fetch(`${slow.url}${ACCOUNT}/jobs/to-stop?${API}`, { method: 'PUT', headers, body: JSON.stringify({ properties: { runbook: { name: 'Convert-ToSharedMailbox' }, parameters: { UserPrincipalName: 'nestor.wilke@contoso.com' } } }) });
      expect((await fetch(`${slow.url}${ACCOUNT}/jobs/to-stop/stop?${API}`, { method: 'POST', headers })).status).toBe(200);
      const job = (await (await fetch(`${slow.url}${ACCOUNT}/jobs/to-stop?${API}`, { headers })).json()) as { properties: { status: string; endTime: string | null } };
      expect(job.properties.status).toBe('Stopped');
      expect(job.properties.endTime).not.toBeNull();
      expect(slow.exchange.getMailbox('nestor.wilke@contoso.com').RecipientTypeDetails).toBe('UserMailbox');
      expect((await fetch(`${slow.url}${ACCOUNT}/jobs/to-stop/stop?${API}`, { method: 'POST', headers })).status).toBe(400);
    } finally {
      await slow.stop();
    }
  });

  it('answers 404 for an unknown runbook or job and 409 for a duplicate job name', async () => {
    const unknown = await arm('PUT', `${ACCOUNT}/jobs/x1?${API}`, { properties: { runbook: { name: 'Remove-Everything' }, parameters: {} } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: 'NotFound', message: 'Runbook not found.' } });
    expect((await arm('GET', `${ACCOUNT}/jobs/never?${API}`)).status).toBe(404);
    const body = { properties: { runbook: { name: 'Convert-ToSharedMailbox' }, parameters: { UserPrincipalName: 'nestor.wilke@contoso.com' } } };
    expect((await arm('PUT', `${ACCOUNT}/jobs/twice?${API}`, body)).status).toBe(201);
    const dup = await arm('PUT', `${ACCOUNT}/jobs/twice?${API}`, body);
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as { error: { code: string } }).error.code).toBe('Conflict');
  });

  it('finds a job by its jobId as well as its name', async () => {
    const put = await arm('PUT', `${ACCOUNT}/jobs/by-id?${API}`, { properties: { runbook: { name: 'Convert-ToSharedMailbox' }, parameters: { UserPrincipalName: 'nestor.wilke@contoso.com' } } });
    const { properties } = (await put.json()) as { properties: { jobId: string } };
    const res = await arm('GET', `${ACCOUNT}/jobs/${properties.jobId}?${API}`);
    expect(((await res.json()) as { name: string }).name).toBe('by-id');
  });

  it('requires api-version and a management token', async () => {
    expect((await arm('GET', `${ACCOUNT}/jobs`)).status).toBe(400);
    const missing = await arm('GET', `${ACCOUNT}/jobs?${API}`, undefined, null);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('AuthenticationFailed');
    const graphToken = mintLocalToken({ aud: 'https://graph.microsoft.com', oid: 'tester' });
    const wrong = await arm('GET', `${ACCOUNT}/jobs?${API}`, undefined, graphToken);
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('InvalidAuthenticationTokenAudience');
    const classic = mintLocalToken({ aud: 'https://management.core.windows.net/', oid: 'tester' });
    expect((await arm('GET', `${ACCOUNT}/jobs?${API}`, undefined, classic)).status).toBe(200);
    expect((await arm('GET', `${ACCOUNT}/jobs?${API}`, undefined, `${armToken.slice(0, -3)}abc`)).status).toBe(401);
  });
});

describe('admin API', () => {
  it('loads an Exchange state, lists jobs and resets to the fixture', async () => {
    const state = (await (await fetch(`${automation.url}/_admin/exchange`)).json()) as { Mailboxes: Array<{ PrimarySmtpAddress: string; RecipientTypeDetails: string }> };
    state.Mailboxes = state.Mailboxes.filter((m) => m.PrimarySmtpAddress !== 'support@contoso.com');
    expect((await fetch(`${automation.url}/_admin/exchange`, { method: 'POST', body: JSON.stringify(state) })).status).toBe(200);
    expect(() => automation.exchange.getMailbox('support@contoso.com')).toThrow();
    expect((await fetch(`${automation.url}/_admin/exchange`, { method: 'POST', body: '{"Organization":"x"}' })).status).toBe(400);

    await arm('PUT', `${ACCOUNT}/jobs/listed?${API}`, { properties: { runbook: { name: 'Convert-ToSharedMailbox' }, parameters: { UserPrincipalName: 'nestor.wilke@contoso.com' } } });
    const jobs = (await (await fetch(`${automation.url}/_admin/jobs`)).json()) as { value: Array<{ name: string }> };
    expect(jobs.value.map((j) => j.name)).toEqual(['listed']);

    await fetch(`${automation.url}/_admin/reset`, { method: 'POST' });
    expect(automation.exchange.getMailbox('support@contoso.com').RecipientTypeDetails).toBe('SharedMailbox');
    expect(automation.jobs()).toEqual([]);
  });
});

describe('fault injection', () => {
  it('fails the next matching calls with the queued ARM error, then recovers', async () => {
    const queued = await fetch(`${automation.url}/_admin/faults`, { method: 'POST', body: JSON.stringify({ status: 429, count: 1, code: 'TooManyRequests', retryAfterSeconds: 2, method: 'PUT' }) });
    expect(queued.status).toBe(200);
    // A GET is not affected by a PUT-only fault.
    expect((await arm('GET', `${ACCOUNT}/jobs?${API}`)).status).toBe(200);
    const body = { properties: { runbook: { name: 'Convert-ToSharedMailbox' }, parameters: { UserPrincipalName: 'nestor.wilke@contoso.com' } } };
    const throttled = await arm('PUT', `${ACCOUNT}/jobs/faulted?${API}`, body);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('2');
    expect(((await throttled.json()) as { error: { code: string } }).error.code).toBe('TooManyRequests');
    expect((await arm('PUT', `${ACCOUNT}/jobs/faulted?${API}`, body)).status).toBe(201);
    expect((await fetch(`${automation.url}/_admin/faults`, { method: 'POST', body: JSON.stringify({ status: 302 }) })).status).toBe(400);
  });
});

describe('managed azureautomation connector form', () => {
  const base = () => `${automation.connectionRuntimeUrl}/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Automation/automationAccounts/${AA}/jobs`;

  it('creates a job by runbookName and waits for it when wait=true', async () => {
    const res = await fetch(`${base()}?runbookName=Set-DistributionGroupMember&wait=true&x-ms-api-version=2015-10-31`, {
      method: 'PUT',
      headers: { authorization: `Key ${automation.connectionKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { parameters: { GroupIdentity: 'all-staff@contoso.com', MemberEmail: 'lynne.robbins@contoso.com', Action: 'Add' } } }),
    });
    expect(res.status).toBe(200);
    const job = (await res.json()) as { properties: { jobId: string; status: string } };
    expect(job.properties.status).toBe('Completed');
    const out = await fetch(`${base()}/${job.properties.jobId}/output?x-ms-api-version=2015-10-31`, { headers: { authorization: `Key ${automation.connectionKey}` } });
    expect(await out.text()).toMatch(/RESULT: \{"outcome":"applied","action":"add_member"/);
  });

  it('refuses a wrong connection key', async () => {
    const res = await fetch(`${base()}?runbookName=Convert-ToSharedMailbox&x-ms-api-version=2015-10-31`, { method: 'PUT', headers: { authorization: 'Key nope' }, body: '{}' });
    expect(res.status).toBe(401);
  });
});

describe('adding a mailbox through the admin API', () => {
  it('makes a user created elsewhere (e.g. in the Graph stand-in) known to Exchange', async () => {
    const mailbox = { UserPrincipalName: 'new.hire@contoso.com', PrimarySmtpAddress: 'new.hire@contoso.com', DisplayName: 'New Hire', Alias: 'NewH', RecipientTypeDetails: 'UserMailbox' };
    const res = await fetch(`${automation.url}/_admin/exchange/mailboxes`, { method: 'POST', body: JSON.stringify(mailbox) });
    expect(res.status).toBe(201);
    expect(automation.exchange.getMailbox('NewH')).toMatchObject({ PrimarySmtpAddress: 'new.hire@contoso.com', FullAccess: [], HiddenFromAddressListsEnabled: false });
    expect((await fetch(`${automation.url}/_admin/exchange/mailboxes`, { method: 'POST', body: JSON.stringify({ ...mailbox, RecipientTypeDetails: 'Room' }) })).status).toBe(400);
  });
});
