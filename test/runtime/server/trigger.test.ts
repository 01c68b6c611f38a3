import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntimeServer } from '../../../local/runtime/server/index.js';
import { signPath } from '../../../local/runtime/server/sas.js';
import { FakeEngine } from './fake-engine.js';
import { createMemoryHistoryStore } from '../../../local/runtime/history/index.js';
import { post, startFakeRuntime, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startFakeRuntime({ maxBodyBytes: 4096 });
});
afterAll(async () => {
  await h.server.close();
});

function withQuery(url: string, change: (q: URLSearchParams) => void): string {
  const u = new URL(url);
  change(u.searchParams);
  return u.toString();
}

describe('trigger endpoint', () => {
  it('accepts the signed callback URL, passes the request on and returns the workflow response with x-ms headers', async () => {
    const res = await post(h.server.triggerUrl('hello'), { ticket: 42 }, { 'x-ms-client-tracking-id': 'TICKET-42', authorization: 'Bearer abc' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { echo: unknown; run: string };
    expect(body.echo).toEqual({ ticket: 42 });
    for (const name of ['x-ms-workflow-run-id', 'x-ms-client-tracking-id', 'x-ms-correlation-id', 'x-ms-trigger-history-name', 'x-ms-workflow-name', 'x-ms-workflow-version', 'x-ms-tracking-id', 'x-ms-request-id']) {
      expect(res.headers.get(name), name).toBeTruthy();
    }
    expect(res.headers.get('x-ms-workflow-run-id')).toBe(body.run);
    expect(res.headers.get('x-ms-client-tracking-id')).toBe('TICKET-42');
    expect(res.headers.get('x-ms-workflow-name')).toBe('hello');
    expect(res.headers.get('x-ms-workflow-version')).toBe('v-hello');
    const request = h.engine.requests.at(-2); // the last one is the child workflow started by the fake
    expect(request?.method).toBe('POST');
    expect(request?.queries).toEqual({ 'api-version': '2022-05-01' });
    expect(request?.headers.authorization).toBeUndefined();
  });

  it('refuses a missing signature with DirectApiAuthorizationRequired', async () => {
    const res = await post(withQuery(h.server.triggerUrl('hello'), (q) => q.delete('sig')), {});
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'DirectApiAuthorizationRequired', message: 'The request must be authenticated only by Shared Access scheme.' } });
  });

  it('refuses a wrong signature, or one made for another path, with DirectApiInvalidAuthorizationSignature', async () => {
    const bad = { error: { code: 'DirectApiInvalidAuthorizationSignature', message: 'The provided authorization signature is not valid.' } };
    const wrong = await post(withQuery(h.server.triggerUrl('hello'), (q) => q.set('sig', 'AAAA')), {});
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual(bad);
    // A valid signature of another workflow is not valid here.
    const otherSig = new URL(h.server.triggerUrl('child')).searchParams.get('sig') ?? '';
    const swapped = await post(withQuery(h.server.triggerUrl('hello'), (q) => q.set('sig', otherSig)), {});
    expect(swapped.status).toBe(401);
    const key = h.server.keys.get('hello')?.primary ?? '';
    const otherPath = await post(withQuery(h.server.triggerUrl('hello'), (q) => { q.set('sp', '/triggers/other/run'); q.set('sig', signPath(key, '/triggers/other/run')); }), {});
    expect(otherPath.status).toBe(401);
  });

  it('answers 404 WorkflowNotFound for an unknown workflow and 405 for a method the trigger does not take', async () => {
    const url = h.server.triggerUrl('hello').replace('/api/hello/', '/api/nope/');
    const missing = await post(url, {});
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('WorkflowNotFound');
    const wrongMethod = await post(h.server.triggerUrl('getter').replace('{id}', '7'), {});
    expect(wrongMethod.status).toBe(405);
    expect(((await wrongMethod.json()) as { error: { code: string } }).error.code).toBe('TriggerRequestMethodNotValid');
    const ok = await fetch(h.server.triggerUrl('getter').replace('%7Bid%7D', '7').replace('{id}', '7'));
    expect(ok.status).toBe(200);
    expect(h.engine.requests.at(-1)?.relativePath).toBe('items/7');
  });

  it('answers 413 for a body over the limit and 400 for invalid JSON', async () => {
    const big = await fetch(h.server.triggerUrl('hello'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(5000) });
    expect(big.status).toBe(413);
    const invalid = await fetch(h.server.triggerUrl('hello'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { code: string } }).error.code).toBe('InvalidRequestContent');
    const text = await fetch(h.server.triggerUrl('hello'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'plain words' });
    expect(((await text.json()) as { echo: unknown }).echo).toBe('plain words');
  });

  it('turns the engine refusing the request into that status and error body', async () => {
    const res = await post(h.server.triggerUrl('hello'), { reject: true });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('TriggerInputSchemaMismatch');
  });

  it('keeps keys across restarts and honours regenerateAccessKey (secondary keeps working)', async () => {
    const before = h.server.triggerUrl('child');
    const history = createMemoryHistoryStore();
    const again = await startRuntimeServer({ engine: new FakeEngine(history), history, dataDir: h.dataDir, port: 0 });
    try {
      const sameSig = new URL(again.triggerUrl('child')).searchParams.get('sig');
      expect(sameSig).toBe(new URL(before).searchParams.get('sig'));
    } finally {
      await again.close();
    }
    const secondary = withQuery(before, (q) => q.set('sig', signPath(h.server.keys.get('child')?.secondary ?? '', '/triggers/manual/run')));
    const regen = await post(h.mgmt('/workflows/child/regenerateAccessKey?api-version=2024-04-01'), { keyType: 'Primary' });
    expect(regen.status).toBe(200);
    expect((await post(before, {})).status).toBe(401);
    expect((await post(h.server.triggerUrl('child'), {})).status).toBe(200);
    expect((await post(secondary, {})).status).toBe(200);
    expect((await post(h.mgmt('/workflows/child/regenerateAccessKey'), { keyType: 'Tertiary' })).status).toBe(400);
  });

  it('matches workflow and trigger names case-insensitively, as the host does', async () => {
    const url = h.server.triggerUrl('hello').replace('/api/hello/triggers/manual/', '/api/HELLO/triggers/Manual/');
    const res = await post(url, { n: 1 });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ms-workflow-name')).toBe('hello');
  });
});
