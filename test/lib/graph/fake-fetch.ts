import type { FetchLike } from '../../../lib/graph/middleware.js';
import { createGraphClient, type GraphClient } from '../../../lib/graph/client.js';

/** A scripted Graph for unit tests: every call is recorded and answered by `respond`. */
export interface RecordedCall {
  method: string;
  url: URL;
  /** Path + query after /v1.0, decoded. */
  path: string;
  headers: Headers;
  body: unknown;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function fakeFetch(respond: (call: RecordedCall, index: number) => FakeAnswer | Promise<FakeAnswer>): { fetch: FetchLike; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input);
    const headers = new Headers(init.headers as ConstructorParameters<typeof Headers>[0]);
    const text = typeof init.body === 'string' ? init.body : undefined;
    const call: RecordedCall = {
      method: (init.method ?? 'GET').toUpperCase(),
      url,
      path: decodeURIComponent(url.pathname.replace(/^\/v1\.0/, '') + url.search),
      headers,
      body: text ? (JSON.parse(text) as unknown) : undefined,
    };
    calls.push(call);
    const answer = await respond(call, calls.length - 1);
    const body = answer.body === undefined ? null : JSON.stringify(answer.body);
    return new Response(answer.status === 204 ? null : body, {
      status: answer.status,
      headers: { 'Content-Type': 'application/json', ...(answer.headers ?? {}) },
    });
  };
  return { fetch, calls };
}

export const graphError = (status: number, code: string, message: string, headers?: Record<string, string>): FakeAnswer => ({
  status,
  body: { error: { code, message, innerError: { date: '2026-01-01T00:00:00', 'request-id': 'req-1', 'client-request-id': 'x' } } },
  ...(headers ? { headers } : {}),
});

export interface TestClient {
  graph: GraphClient;
  calls: RecordedCall[];
  sleeps: number[];
}

export function testClient(respond: Parameters<typeof fakeFetch>[0], retry: { maxAttempts?: number; maxTotalWaitMs?: number } = {}): TestClient {
  const { fetch, calls } = fakeFetch(respond);
  const sleeps: number[] = [];
  const graph = createGraphClient({
    baseUrl: 'https://graph.test',
    token: async () => 'test-token',
    fetch,
    retry: { ...retry, sleep: async (ms) => void sleeps.push(ms) },
  });
  return { graph, calls, sleeps };
}
