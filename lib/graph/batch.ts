import { AppError } from '../errors/app-error.js';
import type { GraphClient, GraphMethod } from './client.js';
import { graphFailureToAppError, readGraphErrorBody } from './errors.js';
import { nextDelay, parseRetryAfter, RETRYABLE_STATUSES, type RetryPolicy } from './retry-policy.js';

/**
 * JSON batching (https://learn.microsoft.com/graph/json-batching): up to 20 requests per POST /$batch, each answered with its
 * own status. Items Graph throttles (429/503/504) are re-sent in a later round after the longest
 * Retry-After, together with the items that failed only because they depended on them (424).
 */
export interface BatchRequest {
  id: string;
  method: GraphMethod;
  /** Relative to the version root, e.g. "/users/abc". Build it with path.ts helpers. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  dependsOn?: string[];
}

export interface BatchItemResult {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Rounds in which this item was sent. */
  attempts: number;
  /** Present when status >= 400. */
  error?: AppError;
}

export interface BatchOptions {
  step?: string;
  retry?: Partial<RetryPolicy>;
  /** Graph's limit is 20; lower only for tests. */
  chunkSize?: number;
}

interface WireResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export const BATCH_LIMIT = 20;

function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

function validate(requests: readonly BatchRequest[]): void {
  const seen = new Set<string>();
  for (const r of requests) {
    const id = r.id.toLowerCase();
    if (seen.has(id)) throw new TypeError(`Duplicate $batch request id "${r.id}".`);
    for (const dep of r.dependsOn ?? []) {
      if (!seen.has(dep.toLowerCase())) throw new TypeError(`$batch request "${r.id}" depends on "${dep}", which does not come before it.`);
    }
    seen.add(id);
  }
}

/** Splits into chunks of `size`; reports whether any dependency crosses a chunk boundary. */
function chunk(requests: readonly BatchRequest[], size: number): { chunks: BatchRequest[][]; crossChunk: boolean } {
  const chunks: BatchRequest[][] = [];
  const chunkOf = new Map<string, number>();
  let crossChunk = false;
  for (const r of requests) {
    let current = chunks[chunks.length - 1];
    if (!current || current.length >= size) {
      current = [];
      chunks.push(current);
    }
    current.push(r);
    chunkOf.set(r.id.toLowerCase(), chunks.length - 1);
    if ((r.dependsOn ?? []).some((d) => chunkOf.get(d.toLowerCase()) !== chunks.length - 1)) crossChunk = true;
  }
  return { chunks, crossChunk };
}

export async function runBatch(graph: GraphClient, requests: readonly BatchRequest[], options: BatchOptions = {}): Promise<Map<string, BatchItemResult>> {
  validate(requests);
  const policy: RetryPolicy = { ...graph.retryPolicy, ...options.retry };
  const size = Math.min(options.chunkSize ?? BATCH_LIMIT, BATCH_LIMIT);
  const results = new Map<string, BatchItemResult>();
  const attempts = new Map<string, number>();
  const key = (id: string) => id.toLowerCase();
  let pending = [...requests];
  let waited = 0;

  const settle = (r: BatchRequest, wire: WireResponse): void => {
    const item: BatchItemResult = { id: r.id, status: wire.status, headers: wire.headers ?? {}, body: wire.body, attempts: attempts.get(key(r.id)) ?? 0 };
    if (wire.status >= 400) {
      const parsed = readGraphErrorBody(wire.body);
      item.error = graphFailureToAppError(
        { status: wire.status, graphCode: parsed.code, graphMessage: parsed.message, requestId: parsed.requestId, attempts: item.attempts },
        options.step,
        { method: r.method, path: `/${graph.version}${r.url.startsWith('/') ? '' : '/'}${r.url}` },
      );
    }
    results.set(key(r.id), item);
  };

  for (let round = 1; pending.length > 0; round++) {
    // Dependencies settled in an earlier round are resolved here: success drops the edge,
    // failure fails the dependent with 424 without sending it.
    const toSend: BatchRequest[] = [];
    for (const r of pending) {
      const deps = r.dependsOn ?? [];
      const failedDep = deps.find((d) => (results.get(key(d))?.status ?? 0) >= 400);
      if (failedDep !== undefined) {
        settle(r, { id: r.id, status: 424, body: { error: { code: 'FailedDependency', message: `Depends on "${failedDep}", which failed.` } } });
        continue;
      }
      toSend.push({ ...r, dependsOn: deps.filter((d) => !results.has(key(d))) });
    }
    const { chunks, crossChunk } = chunk(toSend, size);
    const responses: WireResponse[] = [];
    const sendChunk = async (items: BatchRequest[]): Promise<WireResponse[]> => {
      // Items depending on something answered in an earlier chunk of this round.
      const ready: BatchRequest[] = [];
      const out: WireResponse[] = [];
      for (const r of items) {
        const earlier = (r.dependsOn ?? []).map((d) => responses.find((w) => key(w.id) === key(d))).filter((w) => w !== undefined);
        if (earlier.some((w) => w.status >= 400)) {
          out.push({ id: r.id, status: 424, body: { error: { code: 'FailedDependency', message: 'A request it depends on failed.' } } });
          continue;
        }
        const inChunk = (r.dependsOn ?? []).filter((d) => items.some((i) => key(i.id) === key(d)));
        ready.push({ ...r, dependsOn: inChunk });
      }
      if (ready.length === 0) return out;
      const wire = ready.map((r) => ({
        id: r.id,
        method: r.method,
        url: r.url,
        ...(r.body !== undefined ? { body: r.body, headers: { 'Content-Type': 'application/json', ...(r.headers ?? {}) } } : r.headers ? { headers: r.headers } : {}),
        ...(r.dependsOn && r.dependsOn.length ? { dependsOn: r.dependsOn } : {}),
      }));
      for (const r of ready) attempts.set(key(r.id), (attempts.get(key(r.id)) ?? 0) + 1);
      const answer = await graph.post<{ responses?: WireResponse[] }>('/$batch', { requests: wire }, { step: options.step });
      const byId = new Map((answer.responses ?? []).map((w) => [key(String(w.id)), w]));
      for (const r of ready) {
        out.push(byId.get(key(r.id)) ?? { id: r.id, status: 502, body: { error: { code: 'MissingBatchResponse', message: 'Graph returned no answer for this request.' } } });
      }
      return out;
    };
    if (crossChunk) {
      for (const c of chunks) responses.push(...(await sendChunk(c)));
    } else {
      for (const answers of await Promise.all(chunks.map(sendChunk))) responses.push(...answers);
    }

    // Decide which items go round again.
    const retryIds = new Set<string>();
    let retryAfter: number | undefined;
    for (const w of responses) {
      if (RETRYABLE_STATUSES.has(w.status)) {
        retryIds.add(key(w.id));
        const ra = parseRetryAfter(header(w.headers, 'retry-after'));
        if (ra !== undefined) retryAfter = Math.max(retryAfter ?? 0, ra);
      }
    }
    for (const r of toSend) {
      const w = responses.find((x) => key(x.id) === key(r.id));
      if (w?.status === 424 && (r.dependsOn ?? []).some((d) => retryIds.has(key(d)))) retryIds.add(key(r.id));
    }
    const delay = retryIds.size ? nextDelay(policy, round, retryAfter, waited) : undefined;
    const again: BatchRequest[] = [];
    for (const r of pending) {
      const w = responses.find((x) => key(x.id) === key(r.id));
      if (!w) continue; // settled above as 424 before sending
      if (delay !== undefined && retryIds.has(key(r.id))) again.push(r);
      else settle(r, w);
    }
    pending = again;
    if (pending.length && delay !== undefined) {
      await policy.sleep(delay);
      waited += delay;
    }
  }
  return results;
}
