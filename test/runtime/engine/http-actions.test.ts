import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceProviderHandler } from '../../../local/runtime/model.js';
import { harness, projectOf, request, runToEnd, testServices } from './helpers.js';
import { json, startScriptedServer } from './http-server.js';

type Server = Awaited<ReturnType<typeof startScriptedServer>>;

describe('engine: Http, ApiConnection and ServiceProvider actions', () => {
  let server: Server;
  /** Per-path scripts: path -> (attempt number for that path) -> response. */
  const counters = new Map<string, number>();

  beforeAll(async () => {
    server = await startScriptedServer((req, res) => {
      const path = (req.url.split('?')[0] ?? '');
      const n = (counters.get(path) ?? 0) + 1;
      counters.set(path, n);
      if (path === '/throttled') {
        if (n <= 2) return json(res, 429, { error: 'slow down' }, { 'retry-after': '3' });
        return json(res, 200, { ok: true, attempts: n });
      }
      if (path === '/always500') return json(res, 500, { error: 'boom' });
      if (path === '/bad') return json(res, 400, { error: { code: 'InvalidThing' } });
      if (path === '/echo') return json(res, 200, { method: req.method, url: req.url, auth: req.headers.authorization ?? null, ct: req.headers['content-type'] ?? null, body: req.body });
      if (path === '/job') return json(res, 202, { state: 'started' }, { location: `${server.url}/job/status`, 'retry-after': '2' });
      if (path === '/job/status') {
        if (n < 3) return json(res, 202, { state: 'running' }, { location: `${server.url}/job/status`, 'retry-after': '1' });
        return json(res, 200, { state: 'done' });
      }
      if (path.startsWith('/apim/')) return json(res, 200, { path, auth: req.headers.authorization ?? null, query: req.url.split('?')[1] ?? '' });
      return json(res, 404, { error: 'not found' });
    });
  });
  afterAll(async () => server.stop());

  it('retries 429 honouring Retry-After and records retryHistory', async () => {
    counters.clear();
    const h = harness(projectOf({ wf: { actions: { Call: { type: 'Http', inputs: { method: 'GET', uri: `${server.url}/throttled`, retryPolicy: { type: 'fixed', count: 4, interval: 'PT1H' } } } } } }));
    const { actions } = await runToEnd(h, 'wf');
    const call = actions.Call;
    expect(call?.status).toBe('Succeeded');
    expect(call?.outputs).toMatchObject({ statusCode: 200, body: { ok: true, attempts: 3 } });
    expect(call?.retryHistory?.map((r) => r.code)).toEqual(['TooManyRequests', 'TooManyRequests']);
    const attempts = server.seen.filter((r) => r.url === '/throttled');
    expect(attempts).toHaveLength(3);
    // Each attempt carries its own client request id, and retryHistory names the retried ones.
    expect(call?.retryHistory?.map((r) => r.clientRequestId)).toEqual(attempts.slice(0, 2).map((r) => r.headers['x-ms-client-request-id']));
  });

  it('gives up after count retries with the HTTP reason as code; none means one attempt', async () => {
    counters.clear();
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Exp: { type: 'Http', inputs: { method: 'GET', uri: `${server.url}/always500`, retryPolicy: { type: 'exponential', count: 2, interval: 'PT5S', minimumInterval: 'PT5S', maximumInterval: 'PT1M' } } },
          },
        },
        none: { actions: { One: { type: 'Http', inputs: { method: 'GET', uri: `${server.url}/always500`, retryPolicy: { type: 'none' } } } } },
        bad: { actions: { Bad: { type: 'Http', inputs: { method: 'POST', uri: `${server.url}/bad`, body: { a: 1 } } } } },
      }),
    );
    const exp = await runToEnd(h, 'wf');
    expect(exp.actions.Exp?.status).toBe('Failed');
    expect(exp.actions.Exp?.code).toBe('InternalServerError');
    expect(exp.actions.Exp?.retryHistory).toHaveLength(2);
    expect(counters.get('/always500')).toBe(3);
    counters.clear();
    const none = await runToEnd(h, 'none');
    expect(none.actions.One?.retryHistory).toBeUndefined();
    expect(counters.get('/always500')).toBe(1);
    const bad = await runToEnd(h, 'bad');
    // 400 is not transient: no retry, Failed with code BadRequest and the response kept as outputs.
    expect(bad.actions.Bad?.code).toBe('BadRequest');
    expect(bad.actions.Bad?.outputs).toMatchObject({ statusCode: 400, body: { error: { code: 'InvalidThing' } } });
    expect(counters.get('/bad')).toBe(1);
  });

  it('retries connection errors with the default policy', async () => {
    const h = harness(projectOf({ wf: { actions: { Down: { type: 'Http', inputs: { method: 'GET', uri: 'http://127.0.0.1:1/nothing' } } } } }));
    const { actions } = await runToEnd(h, 'wf');
    expect(actions.Down?.status).toBe('Failed');
    expect(actions.Down?.retryHistory).toHaveLength(4);
  });

  it('sends queries, JSON body and a managed-identity token without recording it', async () => {
    const tokens: string[] = [];
    const services = testServices({ managedIdentityToken: async (aud) => { tokens.push(aud); return 'secret-token'; } });
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Call: {
              type: 'Http',
              inputs: { method: 'post', uri: `${server.url}/echo`, queries: { a: 'x y', n: 2 }, body: { upn: "@triggerBody()?['upn']" }, authentication: { type: 'ManagedServiceIdentity', audience: 'api://helpers' } },
            },
          },
        },
      }),
      { services },
    );
    const { actions, run } = await runToEnd(h, 'wf', request({ upn: 'ada@contoso.com' }));
    const body = (actions.Call?.outputs as { body: Record<string, unknown> }).body;
    // Object bodies go out as `application/json; charset=utf-8` (undocumented: observed on the real host as that exact value).
    expect(body).toMatchObject({ method: 'POST', url: '/echo?a=x%20y&n=2', auth: 'Bearer secret-token', ct: 'application/json; charset=utf-8', body: '{"upn":"ada@contoso.com"}' });
    expect(tokens).toEqual(['api://helpers']);
    expect(actions.Call?.inputs).toEqual({ method: 'POST', uri: `${server.url}/echo`, queries: { a: 'x y', n: 2 }, body: { upn: 'ada@contoso.com' }, authentication: { type: 'ManagedServiceIdentity', audience: 'api://helpers' } });
    // The echo server reflects the header into its body; what the engine itself records as inputs never holds it.
    expect(JSON.stringify(h.history.listActions('wf', run.name).map((a) => a.inputs))).not.toContain('secret-token');
  });

  it('stamps the x-ms-workflow-* headers on outgoing calls unless SuppressWorkflowHeaders', async () => {
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Stamped: { type: 'Http', inputs: { method: 'GET', uri: `${server.url}/echo` } },
            Suppressed: { type: 'Http', operationOptions: 'SuppressWorkflowHeaders', inputs: { method: 'GET', uri: `${server.url}/echo` }, runAfter: { Stamped: ['Succeeded'] } },
          },
        },
      }),
    );
    const before = server.seen.length;
    const { run, actions } = await runToEnd(h, 'wf', request({}));
    const [stamped, suppressed] = server.seen.slice(before);
    expect(stamped?.headers).toMatchObject({
      'x-ms-workflow-name': 'wf',
      'x-ms-workflow-run-id': run.name,
      'x-ms-workflow-operation-name': 'Stamped',
      'x-ms-client-tracking-id': run.clientTrackingId,
      'x-ms-correlation-id': run.correlationId,
      'x-ms-action-tracking-id': actions.Stamped?.actionTrackingId,
      'x-ms-workflow-version': run.version,
    });
    expect(stamped?.headers['user-agent']).toMatch(/^azure-logic-apps\/1\.0,\(workflow [0-9a-f]{32}; version /);
    expect(suppressed?.headers['x-ms-workflow-run-id']).toBeUndefined();
  });

  it('sanitizes Raw/Basic credentials and Authorization headers in recorded inputs', async () => {
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Raw: { type: 'Http', inputs: { method: 'GET', uri: `${server.url}/echo`, authentication: { type: 'Raw', value: 'Key raw-secret' } } },
            Basic: { type: 'Http', inputs: { method: 'GET', uri: `${server.url}/echo`, authentication: { type: 'Basic', username: 'u', password: 'basic-secret' } } },
            Header: { type: 'Http', inputs: { method: 'GET', uri: `${server.url}/echo`, headers: { Authorization: 'Bearer header-secret', 'X-Keep': 'k' } } },
          },
        },
      }),
    );
    const { actions } = await runToEnd(h, 'wf');
    expect((actions.Raw?.outputs as { body: { auth: string } }).body.auth).toBe('Key raw-secret');
    expect((actions.Basic?.outputs as { body: { auth: string } }).body.auth).toBe(`Basic ${Buffer.from('u:basic-secret').toString('base64')}`);
    expect(actions.Header?.inputs).toMatchObject({ headers: { Authorization: '*sanitized*', 'X-Keep': 'k' } });
    const recordedInputs = JSON.stringify(Object.values(actions).map((a) => a.inputs));
    for (const secret of ['raw-secret', 'basic-secret', 'header-secret']) expect(recordedInputs).not.toContain(secret);
  });

  it('follows the 202 + Location async pattern unless DisableAsyncPattern', async () => {
    counters.clear();
    const h = harness(
      projectOf({
        wf: { actions: { Job: { type: 'Http', inputs: { method: 'POST', uri: `${server.url}/job` } } } },
        sync: { actions: { Job: { type: 'Http', inputs: { method: 'POST', uri: `${server.url}/job` }, operationOptions: 'DisableAsyncPattern' } } },
      }),
    );
    const a = await runToEnd(h, 'wf');
    expect(a.actions.Job?.outputs).toMatchObject({ statusCode: 200, body: { state: 'done' } });
    expect(counters.get('/job/status')).toBe(3);
    const s = await runToEnd(h, 'sync');
    expect(s.actions.Job?.outputs).toMatchObject({ statusCode: 202, body: { state: 'started' } });
  });

  it('calls a managed API connection with Raw or managed-identity authentication', async () => {
    const connections = {
      managedApiConnections: {
        office365: { connectionRuntimeUrl: `${server.url}/apim/office365/abc/`, authentication: { type: 'Raw', scheme: 'Key', parameter: 'conn-key' } },
        msi: { connectionRuntimeUrl: `${server.url}/apim/msi`, authentication: { type: 'ManagedServiceIdentity' } },
      },
    };
    const audiences: string[] = [];
    const services = testServices({ managedIdentityToken: async (aud) => { audiences.push(aud); return 'hub-token'; } });
    const h = harness(
      projectOf(
        {
          wf: {
            actions: {
              Mail: { type: 'ApiConnection', inputs: { host: { connection: { referenceName: 'office365' } }, method: 'post', path: '/v2/Mail', queries: { importance: 'High' }, body: { To: 'a@b.c' } } },
              Msi: { type: 'ApiConnection', inputs: { host: { connection: { referenceName: 'msi' } }, method: 'get', path: '/items' } },
            },
          },
        },
        { connections },
      ),
      { services },
    );
    const { actions } = await runToEnd(h, 'wf');
    expect(actions.Mail?.outputs).toMatchObject({ statusCode: 200, body: { path: '/apim/office365/abc/v2/Mail', auth: 'Key conn-key', query: 'importance=High' } });
    expect(actions.Msi?.outputs).toMatchObject({ body: { path: '/apim/msi/items', auth: 'Bearer hub-token' } });
    expect(audiences).toEqual(['https://apihub.azure.com']);
  });

  it('invokes a ServiceProvider handler with the resolved connection', async () => {
    const calls: unknown[] = [];
    const handler: ServiceProviderHandler = {
      id: '/serviceProviders/azureAutomation',
      operations: ['createJob'],
      async invoke(call) {
        calls.push({ op: call.operationId, params: call.parameters, conn: call.connection });
        if (call.parameters.runbookName === 'Broken') return { statusCode: 404, body: { error: 'runbook not found' } };
        return { statusCode: 200, body: { jobId: 'job-1', status: 'Completed' } };
      },
    };
    const cfg = { connectionName: 'automation', operationId: 'createJob', serviceProviderId: '/serviceProviders/azureAutomation' };
    const h = harness(
      projectOf(
        {
          wf: {
            actions: {
              Job: { type: 'ServiceProvider', inputs: { parameters: { runbookName: "@triggerBody()?['rb']" }, serviceProviderConfiguration: cfg } },
              Broken: { type: 'ServiceProvider', inputs: { parameters: { runbookName: 'Broken' }, serviceProviderConfiguration: cfg } },
            },
          },
        },
        { connections: { serviceProviderConnections: { automation: { parameterValues: { subscriptionId: 'sub' }, serviceProvider: { id: '/serviceProviders/azureAutomation' } } } } },
      ),
      { serviceProviders: [handler] },
    );
    const { actions } = await runToEnd(h, 'wf', request({ rb: 'New-User' }));
    expect(actions.Job?.outputs).toEqual({ statusCode: 200, body: { jobId: 'job-1', status: 'Completed' } });
    expect(calls[0]).toEqual({ op: 'createJob', params: { runbookName: 'New-User' }, conn: { name: 'automation', parameterValues: { subscriptionId: 'sub' } } });
    expect(actions.Broken?.status).toBe('Failed');
    expect(actions.Broken?.code).toBe('NotFound');
  });

  it('retries a ServiceProvider action on transient answers (honouring Retry-After) but never on a definite error', async () => {
    const attempts: Record<string, number> = {};
    const handler: ServiceProviderHandler = {
      id: '/serviceProviders/azureAutomation',
      operations: ['createJob'],
      async invoke(call) {
        const name = String(call.parameters.runbookName);
        attempts[name] = (attempts[name] ?? 0) + 1;
        if (name === 'Busy' && attempts[name] === 1) return { statusCode: 429, headers: { 'Retry-After': '1' }, body: { error: 'throttled' } };
        if (name === 'Refused') throw Object.assign(new Error('The runbook Refused was not found.'), { code: 'RunbookNotFound' });
        return { statusCode: 200, body: { jobId: `job-${name}`, status: 'Completed' } };
      },
    };
    const cfg = { connectionName: 'automation', operationId: 'createJob', serviceProviderId: '/serviceProviders/azureAutomation' };
    const h = harness(
      projectOf(
        {
          wf: {
            actions: {
              Busy: { type: 'ServiceProvider', inputs: { parameters: { runbookName: 'Busy' }, serviceProviderConfiguration: cfg } },
              Refused: { type: 'ServiceProvider', inputs: { parameters: { runbookName: 'Refused' }, serviceProviderConfiguration: cfg } },
            },
          },
        },
        { connections: { serviceProviderConnections: { automation: { parameterValues: {}, serviceProvider: { id: '/serviceProviders/azureAutomation' } } } } },
      ),
      { serviceProviders: [handler] },
    );
    const { actions } = await runToEnd(h, 'wf');
    expect(actions.Busy?.status).toBe('Succeeded');
    expect(attempts.Busy).toBe(2);
    expect(actions.Busy?.retryHistory?.map((r) => r.code)).toEqual(['TooManyRequests']);
    expect(actions.Refused?.status).toBe('Failed');
    expect(actions.Refused?.error).toEqual({ code: 'RunbookNotFound', message: 'The runbook Refused was not found.' });
    expect(attempts.Refused).toBe(1);
  });
});
