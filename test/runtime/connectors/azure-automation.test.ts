import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureAutomationProvider } from '../../../local/runtime/connectors/azure-automation.js';
import type { OutboundRequest, OutboundResponse, RuntimeServices, ServiceProviderCall } from '../../../local/runtime/model.js';
import { startAutomationStandIn, type AutomationStandIn } from '../../../local/standins/automation/index.js';
import { startIdentityStandIn, type IdentityStandIn } from '../../../local/standins/identity/index.js';

let automation: AutomationStandIn;
let identity: IdentityStandIn;
let services: RuntimeServices;
const requests: OutboundRequest[] = [];
const provider = createAzureAutomationProvider({ pollScheduleMs: [5] });

/** Minimal real implementations of the runtime services: fetch for http, the identity stand-in for tokens. */
function makeServices(): RuntimeServices {
  return {
    async http(req: OutboundRequest, signal?: AbortSignal): Promise<OutboundResponse> {
      requests.push(req);
      const res = await fetch(req.url, { method: req.method, headers: req.headers, ...(req.body === undefined ? {} : { body: req.body }), ...(signal ? { signal } : {}) });
      const text = await res.text();
      const isJson = (res.headers.get('content-type') ?? '').includes('json');
      return { statusCode: res.status, headers: Object.fromEntries(res.headers), body: text === '' ? undefined : isJson ? (JSON.parse(text) as unknown) : text };
    },
    async managedIdentityToken(audience: string): Promise<string> {
      const res = await fetch(`${identity.url}?resource=${encodeURIComponent(audience)}&api-version=2019-08-01`, { headers: { 'X-IDENTITY-HEADER': identity.header } });
      return ((await res.json()) as { access_token: string }).access_token;
    },
    clock: {
      now: () => Date.now(),
      sleep: (ms, signal) =>
        new Promise<void>((resolve, reject) => {
          if (signal?.aborted) return reject(signal.reason as Error);
          const t = setTimeout(resolve, ms);
          signal?.addEventListener('abort', () => {
            clearTimeout(t);
            reject(signal.reason as Error);
          }, { once: true });
        }),
    },
  };
}

const account = { subscriptionId: 'sub-1', resourceGroup: 'rg-thread', automationAccount: 'aa-thread' };

function call(operationId: string, parameters: Record<string, unknown>, signal = new AbortController().signal): ServiceProviderCall {
  return {
    operationId,
    parameters: { ...account, ...parameters },
    connection: { name: 'azureAutomation', parameterValues: { cloudEndpoint: automation.url, authProvider: { Type: 'ManagedServiceIdentity' } }, parameterSetName: 'ManagedServiceIdentity' },
    services,
    signal,
  };
}

beforeAll(async () => {
  identity = await startIdentityStandIn();
  automation = await startAutomationStandIn({ jobLatencyMs: 40 });
  services = makeServices();
});

afterAll(async () => {
  await automation.stop();
  await identity.stop();
});

describe('azureAutomation built-in connector', () => {
  it('declares its id and operations', () => {
    expect(provider.id).toBe('/serviceproviders/azureautomation');
    expect([...provider.operations]).toEqual(['createJob', 'getJobStatus', 'getJobOutput']);
  });

  it('createJob with waitForJob returns the completed job; getJobStatus and getJobOutput read it back', async () => {
    const res = await provider.invoke(
      call('createJob', { runbookName: 'Set-SharedMailboxPermission', waitForJob: true, runbookParameters: { SharedMailboxEmail: 'support@contoso.com', UserEmail: 'grady.archie@contoso.com', PermissionType: 'Full Access', Action: 'Grant', AutoMapping: false } }),
    );
    expect(res.statusCode).toBe(200);
    const job = res.body as { jobId: string; status: string; startTime: string; endTime: string; creationTime: string; statusDetails: string };
    expect(job).toMatchObject({ status: 'Completed', statusDetails: 'None' });
    expect(job.jobId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(job).sort()).toEqual(['creationTime', 'endTime', 'jobId', 'startTime', 'status', 'statusDetails']);
    // Booleans cross ARM as strings and bind back as [bool].
    expect(automation.exchange.getFullAccess('support@contoso.com', 'grady.archie@contoso.com')).toEqual({ User: 'grady.archie@contoso.com', AutoMapping: false });
    const put = requests.find((r) => r.method === 'PUT');
    expect(put?.url).toMatch(/\/subscriptions\/sub-1\/resourceGroups\/rg-thread\/providers\/Microsoft\.Automation\/automationAccounts\/aa-thread\/jobs\/[0-9a-f-]{36}\?api-version=/);
    expect(JSON.parse(typeof put?.body === 'string' ? put.body : Buffer.from(put?.body ?? '{}').toString('utf8'))).toMatchObject({ properties: { runbook: { name: 'Set-SharedMailboxPermission' }, parameters: { AutoMapping: 'False' } } });

    const status = await provider.invoke(call('getJobStatus', { jobId: job.jobId }));
    expect(status.body).toEqual(job);
    const output = await provider.invoke(call('getJobOutput', { jobId: job.jobId }));
    expect(typeof output.body).toBe('string');
    const last = String(output.body).split('\n').at(-1) ?? '';
    expect(JSON.parse(last.replace(/^RESULT: /, ''))).toMatchObject({ outcome: 'applied', action: 'grant_full_access' });
  });

  it('createJob without waiting returns the new job at once', async () => {
    const res = await provider.invoke(call('createJob', { runbookName: 'Convert-ToSharedMailbox', runbookParameters: { UserPrincipalName: 'nestor.wilke@contoso.com' } }));
    expect(res.statusCode).toBe(200);
    expect((res.body as { status: string }).status).toBe('New');
  });

  // The documented outputs of getJobStatus are jobId, status, statusDetails, startTime, endTime and creationTime
  // (https://learn.microsoft.com/azure/logic-apps/connectors/built-in/reference/azureautomation): a Failed job is
  // data the workflow reads, not an action failure, and no exception text is added.
  it('getJobStatus answers 200 with the six documented outputs for a job that failed', async () => {
    const started = await provider.invoke(call('createJob', { runbookName: 'Convert-ToSharedMailbox', waitForJob: false, runbookParameters: { UserPrincipalName: 'nobody@contoso.com' } }));
    const { jobId } = started.body as { jobId: string };
    let status = '';
    let body: Record<string, unknown> = {};
    for (let i = 0; i < 400 && !['Completed', 'Failed', 'Stopped', 'Suspended'].includes(status); i++) {
      const res = await provider.invoke(call('getJobStatus', { jobId }));
      expect(res.statusCode).toBe(200);
      body = res.body as Record<string, unknown>;
      status = String(body.status);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(status).toBe('Failed');
    expect(Object.keys(body).sort()).toEqual(['creationTime', 'endTime', 'jobId', 'startTime', 'status', 'statusDetails']);
  });

  it('createJob without waiting creates exactly one job and makes no status read', async () => {
    const before = automation.jobs().length;
    const from = requests.length;
    const res = await provider.invoke(call('createJob', { runbookName: 'Convert-ToSharedMailbox', waitForJob: false, runbookParameters: { UserPrincipalName: 'nestor.wilke@contoso.com' } }));
    expect(res.statusCode).toBe(200);
    expect(automation.jobs().length).toBe(before + 1);
    expect(requests.slice(from).map((r) => r.method)).toEqual(['PUT']);
  });

  it('a failed job fails the action with the runbook exception', async () => {
    const res = await provider.invoke(call('createJob', { runbookName: 'Convert-ToSharedMailbox', waitForJob: 'true', runbookParameters: { UserPrincipalName: 'ghost@contoso.com' } }));
    expect(res.statusCode).toBe(400);
    const body = res.body as { status: string; jobId: string; error: { code: string; message: string } };
    expect(body.status).toBe('Failed');
    expect(body.error.code).toBe('ServiceProviderActionFailed');
    expect(body.error.message).toContain("error code 'RunbookJobFailed'");
    expect(body.error.message).toContain("object 'ghost@contoso.com' couldn't be found");
  });

  it('passes ARM errors through (unknown runbook, unknown job) and validates required parameters', async () => {
    const unknown = await provider.invoke(call('createJob', { runbookName: 'Nope', waitForJob: true }));
    expect(unknown.statusCode).toBe(404);
    expect((unknown.body as { error: { message: string } }).error.message).toContain('Runbook not found.');
    const noJob = await provider.invoke(call('getJobOutput', { jobId: '00000000-0000-0000-0000-000000000000' }));
    expect(noJob.statusCode).toBe(404);
    const missing = await provider.invoke(call('createJob', { runbookName: '' }));
    expect(missing.statusCode).toBe(400);
    expect((missing.body as { error: { message: string } }).error.message).toContain("'runbookName'");
  });

  it('stops the job when the action is cancelled while waiting', async () => {
    const slow = await startAutomationStandIn({ jobLatencyMs: 60_000 });
    try {
      const ac = new AbortController();
      const c = call('createJob', { runbookName: 'Convert-ToSharedMailbox', waitForJob: true, runbookParameters: { UserPrincipalName: 'megan.bowen@contoso.com' } }, ac.signal);
      c.connection.parameterValues.cloudEndpoint = slow.url;
      const pending = provider.invoke(c);
      // Cancel once the job exists, as a run cancellation or action timeout would.
      while (slow.jobs().length === 0) await new Promise((r) => setTimeout(r, 2));
      ac.abort(new Error('cancelled'));
      await expect(pending).rejects.toThrow();
      while (slow.jobs()[0]?.status !== 'Stopped') await new Promise((r) => setTimeout(r, 2));
      expect(slow.exchange.getMailbox('megan.bowen@contoso.com').RecipientTypeDetails).toBe('UserMailbox');
    } finally {
      await slow.stop();
    }
  });

  it('falls back to ARM_ENDPOINT when the connection has no cloud endpoint', async () => {
    const saved = process.env.ARM_ENDPOINT;
    process.env.ARM_ENDPOINT = `${automation.url}/`;
    try {
      const c = call('createJob', { runbookName: 'Set-DistributionGroupMember', waitForJob: true, runbookParameters: { GroupIdentity: 'all-staff@contoso.com', MemberEmail: 'joni.sherman@contoso.com', Action: 'Add' } });
      c.connection.parameterValues = {};
      const res = await provider.invoke(c);
      expect(res.statusCode).toBe(200);
      expect(automation.exchange.getGroupMembers('all-staff@contoso.com')).toContain('joni.sherman@contoso.com');
    } finally {
      if (saved === undefined) delete process.env.ARM_ENDPOINT;
      else process.env.ARM_ENDPOINT = saved;
    }
  });
});
