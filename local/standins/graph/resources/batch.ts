import { GraphError } from '../errors.js';
import type { GraphCall, GraphResult } from '../http-types.js';
import { parseQuery, splitResourcePath } from '../path.js';
import type { Route } from '../router.js';

/**
 * JSON batching (https://learn.microsoft.com/graph/json-batching): at most 20 requests, relative URLs, dependsOn ordering,
 * 424 for dependents of failed requests, per-item status/headers/body. Items run through the same
 * pipeline as direct requests (faults, router, request log), so each can be throttled on its own.
 */

export type SubRequestExecutor = (sub: GraphCall, itemId: string) => Promise<GraphResult & { headers: Record<string, string> }>;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

const MAX_REQUESTS = 20;

function invalid(message: string): GraphError {
  return new GraphError(400, 'BadRequest', message);
}

function readItems(body: unknown): BatchItem[] {
  const requests = (body as { requests?: unknown } | undefined)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw invalid('Invalid batch payload format.');
  if (requests.length > MAX_REQUESTS) throw invalid('Number of requests inside batch exceeds the limit.');
  const seen = new Set<string>();
  const items = requests.map((raw: unknown): BatchItem => {
    const r = (raw ?? {}) as Record<string, unknown>;
    if (typeof r.id !== 'string' || r.id === '' || typeof r.method !== 'string' || typeof r.url !== 'string') throw invalid('Invalid batch payload format.');
    // Ids are unique without regard to case.
    if (seen.has(r.id.toLowerCase())) throw invalid(`Request Id : ${r.id} must be unique in the batch.`);
    seen.add(r.id.toLowerCase());
    const headers: Record<string, string> = {};
    if (r.headers && typeof r.headers === 'object') {
      for (const [k, v] of Object.entries(r.headers as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
    }
    if (r.body !== undefined && !headers['content-type']) throw invalid(`Write request id : ${r.id} does not contain Content-Type header or body.`);
    const dependsOn = Array.isArray(r.dependsOn) ? r.dependsOn.map(String) : [];
    return { id: r.id, method: r.method.toUpperCase(), url: r.url, headers, body: r.body, dependsOn };
  });
  const ids = new Set(items.map((i) => i.id.toLowerCase()));
  for (const item of items) {
    for (const d of item.dependsOn) if (!ids.has(d.toLowerCase())) throw invalid(`Dependency id : ${d} for request id : ${item.id} does not exist in the batch.`);
  }
  return items;
}

/** Items in an order that honours dependsOn; a cycle is refused like a malformed batch. */
function schedule(items: BatchItem[]): BatchItem[] {
  const done = new Set<string>();
  const order: BatchItem[] = [];
  while (order.length < items.length) {
    const ready = items.find((i) => !done.has(i.id.toLowerCase()) && i.dependsOn.every((d) => done.has(d.toLowerCase())));
    if (!ready) throw invalid('Batch requests have a circular dependency.');
    done.add(ready.id.toLowerCase());
    order.push(ready);
  }
  return order;
}

function subCall(parent: GraphCall, item: BatchItem): GraphCall {
  const url = item.url.trim();
  if (/^[a-z]+:\/\//i.test(url)) throw invalid('Invalid request URL: a batch request URL must be relative.');
  const relative = url.replace(/^\//, '');
  const q = relative.indexOf('?');
  const rawPath = q === -1 ? relative : relative.slice(0, q);
  const rawQuery = q === -1 ? '' : relative.slice(q + 1);
  return {
    ...parent,
    method: item.method,
    segments: splitResourcePath(rawPath.split('#')[0] ?? ''),
    query: parseQuery(rawQuery),
    rawQuery,
    headers: { ...item.headers },
    body: item.body,
  };
}

export async function executeBatch(call: GraphCall, execute: SubRequestExecutor): Promise<GraphResult> {
  const items = schedule(readItems(call.body));
  const statuses = new Map<string, number>();
  const responses: unknown[] = [];
  for (const item of items) {
    const failedDep = item.dependsOn.find((d) => (statuses.get(d.toLowerCase()) ?? 0) >= 400);
    if (failedDep !== undefined) {
      statuses.set(item.id.toLowerCase(), 424);
      responses.push({ id: item.id, status: 424, body: { error: { code: 'FailedDependency', message: 'Failed dependency' } } });
      continue;
    }
    let result: GraphResult & { headers: Record<string, string> };
    try {
      result = await execute(subCall(call, item), item.id);
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      // A malformed item URL fails that item only.
      result = { status: err.status, headers: { 'Content-Type': 'application/json' }, body: { error: { code: err.code, message: err.message } } };
    }
    statuses.set(item.id.toLowerCase(), result.status);
    const entry: Record<string, unknown> = { id: item.id, status: result.status, headers: result.headers };
    if (result.body !== undefined) entry.body = result.body;
    responses.push(entry);
  }
  return { status: 200, body: { responses } };
}

export function batchRoutes(execute: SubRequestExecutor): Route[] {
  return [{ method: 'POST', pattern: '$batch', handler: (c) => executeBatch(c, execute) }];
}
