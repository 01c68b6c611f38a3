import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintLocalToken } from '../../../local/standins/identity/token.js';
import { LEAKED_SECRET } from './fake-engine.js';
import { post, startFakeRuntime, type Harness } from './harness.js';

interface Obj { id: string; name: string; type: string; properties: Record<string, any> }
let h: Harness;
let okRun: string;
let failedRun: string;
const bodies: string[] = [];

async function get(path: string): Promise<{ status: number; json: any }> {
  const res = await fetch(h.mgmt(path));
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  h = await startFakeRuntime();
  okRun = (await post(h.server.triggerUrl('hello'), { n: 1 }, { 'x-ms-client-tracking-id': 'TICKET-1' })).headers.get('x-ms-workflow-run-id') ?? '';
  failedRun = (await post(h.server.triggerUrl('hello'), { fail: true }, { 'x-ms-client-tracking-id': "O'Brien-2" })).headers.get('x-ms-workflow-run-id') ?? '';
  for (let i = 0; i < 5; i++) await post(h.server.triggerUrl('hello'), { n: i });
});
afterAll(async () => {
  // Whatever was served, the secure action's secret never appeared.
  for (const b of bodies) expect(b).not.toContain(LEAKED_SECRET);
  await h.server.close();
});

describe('management API', () => {
  it('lists workflows in Azure shape', async () => {
    const { json } = await get('/workflows');
    const names = (json.value as Obj[]).map((w) => w.name);
    expect(names).toEqual(['async', 'child', 'getter', 'hello', 'timer']);
    const hello = (json.value as Obj[]).find((w) => w.name === 'hello');
    expect(hello).toMatchObject({ id: '/workflows/hello', type: '/workflows', properties: { flowState: 'Enabled', version: 'v-hello' } });
    expect((await get('/workflows/nope')).status).toBe(404);
  });

  it('lists runs newest first with $filter, $top and nextLink', async () => {
    const all = await get('/workflows/hello/runs');
    expect(all.json.value).toHaveLength(7);
    // Workflow names are case-insensitive, as on the host.
    expect((await get('/workflows/HELLO/runs')).json.value).toHaveLength(7);
    const first = all.json.value[0] as Obj;
    expect(first.id).toBe(`workflows/hello/runs/${first.name}`);
    expect(first.type).toBe('workflows/runs');
    expect(first.properties).toMatchObject({ status: 'Succeeded', workflow: { name: 'v-hello', type: 'workflows/versions' }, trigger: { name: 'manual', status: 'Succeeded' } });

    const failed = await get(`/workflows/hello/runs?$filter=${encodeURIComponent("status eq 'Failed'")}`);
    expect((failed.json.value as Obj[]).map((r) => r.name)).toEqual([failedRun]);
    const byTicket = await get(`/workflows/hello/runs?$filter=${encodeURIComponent("ClientTrackingId eq 'O''Brien-2' and status eq 'Failed'")}`);
    expect((byTicket.json.value as Obj[]).map((r) => r.name)).toEqual([failedRun]);
    const since = (all.json.value[1] as Obj).properties.startTime as string;
    const recent = await get(`/workflows/hello/runs?$filter=${encodeURIComponent(`startTime ge ${since}`)}`);
    expect(recent.json.value).toHaveLength(2);
    expect((await get(`/workflows/hello/runs?$filter=${encodeURIComponent('bogus eq 1')}`)).status).toBe(400);

    const page1 = await get('/workflows/hello/runs?$top=3');
    expect(page1.json.value).toHaveLength(3);
    const seen: string[] = (page1.json.value as Obj[]).map((r) => r.name);
    let next: string | undefined = page1.json.nextLink;
    while (next) {
      const res = await fetch(next);
      const page = (await res.json()) as { value: Obj[]; nextLink?: string };
      seen.push(...page.value.map((r) => r.name));
      next = page.nextLink;
    }
    expect(seen).toEqual((all.json.value as Obj[]).map((r) => r.name));
  });

  it('serves a run with $expand=properties/actions and its actions in execution order', async () => {
    const run = await get(`/workflows/hello/runs/${okRun}?$expand=properties/actions`);
    expect(run.json.properties.correlation).toEqual({ clientTrackingId: 'TICKET-1' });
    expect(Object.keys(run.json.properties.actions)).toEqual(['Compose', 'Secret', 'Loop', 'Inner', 'Call_child', 'Flaky']);
    const actions = await get(`/workflows/hello/runs/${okRun}/actions`);
    const compose = (actions.json.value as Obj[])[0];
    expect(compose).toMatchObject({ id: `/workflows/hello/runs/${okRun}/actions/Compose`, name: 'Compose', type: '/workflows/runs/actions' });
    expect(compose?.properties).toMatchObject({ status: 'Succeeded', code: 'OK', inputs: { ticket: { n: 1 } }, trackedProperties: { ticket: 'TICKET-1' }, correlation: { actionTrackingId: 't-Compose', clientTrackingId: 'TICKET-1' } });
    expect(compose?.properties.inputsLink.uri).toContain(`/runs/${okRun}/actions/Compose/contents/ActionInputs`);
    const linked = await fetch(compose?.properties.inputsLink.uri as string);
    expect(await linked.json()).toEqual({ ticket: { n: 1 } });
    const flaky = await get(`/workflows/hello/runs/${okRun}/actions/Flaky`);
    expect(flaky.json.properties.retryHistory[0]).toMatchObject({ code: 'TooManyRequests' });
    const call = await get(`/workflows/hello/runs/${okRun}/actions/Call_child`);
    const child = call.json.properties.childRun as { workflow: string; name: string };
    expect(child.workflow).toBe('child');
    const childRun = await get(`/workflows/child/runs/${child.name}`);
    expect(childRun.json.properties.parentRun).toMatchObject({ workflow: 'hello', name: okRun, action: 'Call_child' });
    expect((await get(`/workflows/hello/runs/${okRun}/actions/Nope`)).json.error.code).toBe('WorkflowRunActionNotFound');
    expect((await get('/workflows/hello/runs/0000')).status).toBe(404);
  });

  it('never serves secure inputs or outputs, inline or through content links', async () => {
    const secret = await get(`/workflows/hello/runs/${okRun}/actions/Secret`);
    expect(secret.json.properties.inputs).toEqual({ $secure: true, message: 'Content not shown due to security configuration.' });
    expect(secret.json.properties.outputs.message).toBe('Content not shown due to security configuration.');
    expect(secret.json.properties.secureData).toEqual({ properties: ['inputs', 'outputs'] });
    const linkIn = await get(`/workflows/hello/runs/${okRun}/actions/Secret/contents/ActionInputs`);
    const linkOut = await get(`/workflows/hello/runs/${okRun}/actions/Secret/contents/ActionOutputs`);
    expect(linkIn.json.$secure).toBe(true);
    expect(linkOut.json.$secure).toBe(true);
    await get(`/workflows/hello/runs/${okRun}?$expand=properties/actions`);
  });

  it('serves repetitions and trigger histories', async () => {
    const reps = await get(`/workflows/hello/runs/${okRun}/actions/Inner/repetitions`);
    expect((reps.json.value as Obj[]).map((r) => r.name)).toEqual(['000000', '000001']);
    expect(reps.json.value[1]).toMatchObject({ id: `/workflows/hello/runs/${okRun}/actions/Inner/repetitions/000001`, type: '/workflows/runs/actions/repetitions', properties: { repetitionIndexes: [{ scopeName: 'Loop', itemIndex: 1 }], outputs: 'b' } });
    expect((await get(`/workflows/hello/runs/${okRun}/actions/Inner/repetitions/000001`)).json.properties.inputs).toBe('b');
    expect((await get(`/workflows/hello/runs/${okRun}/actions/Inner/repetitions/000009`)).status).toBe(404);
    const histories = await get('/workflows/hello/triggers/manual/histories?$top=2');
    expect(histories.json.value[0]).toMatchObject({ type: '/workflows/triggers/histories', properties: { fired: true, run: { type: '/workflows/runs' } } });
    expect(histories.json.nextLink).toBeTruthy();
    const one = await get(`/workflows/hello/triggers/manual/histories/${okRun}`);
    expect(one.json).toMatchObject({ name: okRun, properties: { run: { name: okRun, id: `/workflows/hello/runs/${okRun}` }, correlation: { clientTrackingId: 'TICKET-1' } } });
    expect((await get('/workflows/hello/triggers/manual/histories/000')).status).toBe(404);
  });

  it('returns callback URLs in listCallbackUrl shape', async () => {
    const res = await post(h.mgmt('/workflows/getter/triggers/manual/listCallbackUrl?api-version=2020-06-01'), {});
    const cb = (await res.json()) as Record<string, any>;
    expect(cb).toMatchObject({ method: 'GET', basePath: `${h.server.url}/api/getter/triggers/manual/invoke`, relativePath: 'items/{id}', relativePathParameters: ['id'], queries: { 'api-version': '2022-05-01', sp: '/triggers/manual/run', sv: '1.0' } });
    expect(cb.value).toBe(h.server.triggerUrl('getter'));
    expect((await post(h.mgmt('/workflows/timer/triggers/manual/listCallbackUrl'), {})).status).toBe(400);
    expect(Object.keys(h.server.callbackUrls()).sort()).toEqual(['async', 'child', 'getter', 'hello']);
  });

  it('cancels a running run and refuses to cancel a finished one', async () => {
    const started = await post(h.server.triggerUrl('async'), {});
    const runName = started.headers.get('x-ms-workflow-run-id') ?? '';
    const cancel = await post(h.mgmt(`/workflows/async/runs/${runName}/cancel`), undefined);
    expect(cancel.status).toBe(200);
    expect(h.engine.cancelled).toContain(`async/${runName}`);
    expect((await post(h.mgmt(`/workflows/hello/runs/${okRun}/cancel`), undefined)).status).toBe(409);
  });

  it('polls an asynchronous response: 202 with Location while running, then the saved response', async () => {
    const started = await post(h.server.triggerUrl('async'), {});
    expect(started.status).toBe(202);
    const location = started.headers.get('location') ?? '';
    const runName = started.headers.get('x-ms-workflow-run-id') ?? '';
    const pending = await fetch(location);
    expect(pending.status).toBe(202);
    expect(pending.headers.get('retry-after')).toBe('1');
    expect(pending.headers.get('location')).toBe(location);
    h.engine.finishAsync(runName, 'Succeeded');
    const done = await fetch(location);
    expect(done.status).toBe(201);
    expect(await done.json()).toEqual({ done: true });

    const failing = await post(h.server.triggerUrl('async'), {});
    const failName = failing.headers.get('x-ms-workflow-run-id') ?? '';
    h.engine.finishAsync(failName, 'Failed');
    const failed = await fetch(failing.headers.get('location') ?? '');
    expect(failed.status).toBe(502);
    expect(((await failed.json()) as { error: { code: string } }).error.code).toBe('ActionFailed');
  });

  it('authenticates management calls: loopback or an ARM bearer token', async () => {
    const bogus = await fetch(h.mgmt('/workflows'), { headers: { authorization: 'Bearer not-a-token' } });
    expect(bogus.status).toBe(401);
    const token = mintLocalToken({ aud: 'https://management.azure.com/', oid: 'tester' });
    const good = await fetch(h.mgmt('/workflows'), { headers: { authorization: `Bearer ${token}` } });
    expect(good.status).toBe(200);
    const wrongAud = mintLocalToken({ aud: 'https://graph.microsoft.com', oid: 'tester' });
    expect((await fetch(h.mgmt('/workflows'), { headers: { authorization: `Bearer ${wrongAud}` } })).status).toBe(401);
  });

  it('serves the self-contained run-history page and redirects / to it', async () => {
    const root = await fetch(`${h.server.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/runs');
    const page = await fetch(`${h.server.url}/runs/hello/${okRun}`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toContain('innerHTML');
  });
});
