import { describe, expect, it } from 'vitest';
import { runBatch, type BatchRequest } from '../../../lib/graph/batch.js';
import { getAllPages } from '../../../lib/graph/paging.js';
import { testClient, type RecordedCall } from './fake-fetch.js';

interface WireItem {
  id: string;
  method: string;
  url: string;
  dependsOn?: string[];
  headers?: Record<string, string>;
  body?: unknown;
}

const items = (call: RecordedCall | undefined): WireItem[] => ((call?.body as { requests: WireItem[] }).requests ?? []);

/** A $batch endpoint answering each item with `answer(item)`, in reverse order (Graph may reorder). */
type ItemAnswer = { status: number; body?: unknown; headers?: Record<string, string> };

function batchGraph(answer: (item: WireItem, round: number) => ItemAnswer) {
  let round = 0;
  return testClient((call) => {
    if (call.path !== '/$batch') return { status: 404, body: {} };
    round++;
    return { status: 200, body: { responses: items(call).map((i) => ({ id: i.id, ...answer(i, round) })).reverse() } };
  });
}

const get = (id: string, url = `/users/${id}`, dependsOn?: string[]): BatchRequest => ({ id, method: 'GET', url, ...(dependsOn ? { dependsOn } : {}) });

describe('$batch', () => {
  it('When 45 independent requests are sent, Then they go out as 3 batches of at most 20 and every answer maps back by id', async () => {
    const t = batchGraph((i) => ({ status: 200, body: { id: i.id } }));
    const requests = Array.from({ length: 45 }, (_, n) => get(`r${n}`));
    const results = await runBatch(t.graph, requests);
    expect(t.calls.map((c) => items(c).length)).toEqual([20, 20, 5]);
    expect(results.size).toBe(45);
    expect(results.get('r44')?.body).toEqual({ id: 'r44' });
  });

  it('keeps dependsOn inside a batch and sends bodies with a Content-Type header', async () => {
    const t = batchGraph(() => ({ status: 204 }));
    await runBatch(t.graph, [
      { id: '1', method: 'PATCH', url: '/users/a', body: { accountEnabled: false } },
      { id: '2', method: 'POST', url: '/users/a/revokeSignInSessions', dependsOn: ['1'] },
    ]);
    const sent = items(t.calls[0]);
    expect(sent[1]?.dependsOn).toEqual(['1']);
    expect(sent[0]?.headers?.['Content-Type']).toBe('application/json');
  });

  it('When a dependency fails in an earlier chunk, Then the dependent is answered 424 without being sent', async () => {
    const t = batchGraph((i) => (i.id === 'a' ? { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges' } } } : { status: 200, body: {} }));
    const requests = [get('a'), get('b'), get('c', '/users/c', ['a'])];
    const results = await runBatch(t.graph, requests, { chunkSize: 2 });
    expect(results.get('a')?.error?.code).toBe('forbidden');
    expect(results.get('c')?.status).toBe(424);
    expect(t.calls.flatMap(items).map((i) => i.id)).toEqual(['a', 'b']);
  });

  it('When Graph answers 424 for a dependent of a failed item, Then the item error is kept per item', async () => {
    const t = batchGraph((i) => (i.id === '1' ? { status: 404, body: { error: { code: 'Request_ResourceNotFound', message: 'gone' } } } : { status: 424, body: { error: { code: 'FailedDependency', message: '' } } }));
    const results = await runBatch(t.graph, [get('1'), get('2', '/users/2', ['1'])]);
    expect(results.get('1')?.error?.code).toBe('not_found');
    expect(results.get('2')?.status).toBe(424);
    expect(t.calls).toHaveLength(1);
  });

  it('When some items are throttled, Then only those (and their 424 dependents) are re-sent after the longest Retry-After', async () => {
    const t = batchGraph((i, round): ItemAnswer => {
      if (round === 1 && i.id === 't1') return { status: 429, headers: { 'Retry-After': '3' }, body: { error: { code: 'TooManyRequests', message: '' } } };
      if (round === 1 && i.id === 't2') return { status: 503, headers: { 'retry-after': '1' }, body: {} };
      if (round === 1 && i.id === 'd') return { status: 424, body: {} };
      return { status: 200, body: { round } };
    });
    const results = await runBatch(t.graph, [get('ok'), get('t1'), get('t2'), get('d', '/users/d', ['t1'])]);
    expect(t.sleeps).toEqual([3000]);
    expect(items(t.calls[1]).map((i) => i.id).sort()).toEqual(['d', 't1', 't2']);
    expect(items(t.calls[1]).find((i) => i.id === 'd')?.dependsOn).toEqual(['t1']);
    expect(results.get('ok')?.body).toEqual({ round: 1 });
    expect(results.get('t1')?.body).toEqual({ round: 2 });
    expect(results.get('d')?.status).toBe(200);
    expect(results.get('t1')?.attempts).toBe(2);
  });

  it('When an item stays throttled, Then it ends as a retryable throttled error after the attempt cap', async () => {
    const t = batchGraph(() => ({ status: 429, headers: { 'Retry-After': '1' }, body: { error: { code: 'TooManyRequests', message: '' } } }));
    const results = await runBatch(t.graph, [get('x')]);
    expect(t.calls).toHaveLength(4);
    expect(results.get('x')?.error?.code).toBe('throttled');
    expect(results.get('x')?.error?.retryable).toBe(true);
  });

  it('rejects duplicate ids and forward dependencies', async () => {
    const t = batchGraph(() => ({ status: 200 }));
    await expect(runBatch(t.graph, [get('a'), get('A')])).rejects.toThrow(/Duplicate/);
    await expect(runBatch(t.graph, [get('a', '/x', ['b']), get('b')])).rejects.toThrow(/depends on/);
  });
});

describe('paging', () => {
  it('follows nextLink with the same headers until the end, keeping @odata.count from page one', async () => {
    const t = testClient((call, i) => {
      expect(call.headers.get('ConsistencyLevel')).toBe('eventual');
      if (i === 0) return { status: 200, body: { '@odata.count': 3, value: [{ id: 1 }], '@odata.nextLink': 'https://graph.microsoft.com/v1.0/users?$skiptoken=abc' } };
      if (i === 1) return { status: 200, body: { value: [], '@odata.nextLink': 'https://graph.microsoft.com/v1.0/users?$skiptoken=def' } };
      return { status: 200, body: { value: [{ id: 2 }, { id: 3 }] } };
    });
    const result = await getAllPages<{ id: number }>(t.graph, '/users?$count=true', { headers: { ConsistencyLevel: 'eventual' } });
    expect(result).toEqual({ items: [{ id: 1 }, { id: 2 }, { id: 3 }], count: 3, truncated: false, pages: 3 });
    expect(t.calls[1]?.path).toBe('/users?$skiptoken=abc');
  });

  it('stops at the page cap and says so', async () => {
    const t = testClient(() => ({ status: 200, body: { value: [{}], '@odata.nextLink': 'https://graph.microsoft.com/v1.0/users?$skiptoken=x' } }));
    const result = await getAllPages(t.graph, '/users', { maxPages: 3 });
    expect(result.pages).toBe(3);
    expect(result.truncated).toBe(true);
  });
});
