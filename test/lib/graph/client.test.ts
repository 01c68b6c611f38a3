import { describe, expect, it } from 'vitest';
import { AppError } from '../../../lib/errors/app-error.js';
import { parseRetryAfter } from '../../../lib/graph/retry-policy.js';
import { graphError, testClient } from './fake-fetch.js';

const throttled = (retryAfter?: string) => graphError(429, 'TooManyRequests', 'Please retry again later.', retryAfter ? { 'Retry-After': retryAfter } : undefined);

describe('Graph client retries', () => {
  it('When Graph throttles twice with Retry-After, Then it waits as told and returns the third answer', async () => {
    const t = testClient((_c, i) => (i < 2 ? throttled(i === 0 ? '2' : '0.5') : { status: 200, body: { id: 'u1' } }));
    await expect(t.graph.get('/users/u1')).resolves.toEqual({ id: 'u1' });
    expect(t.calls).toHaveLength(3);
    expect(t.sleeps).toEqual([2000, 500]);
  });

  it('When Graph sends 503/504 without Retry-After, Then it backs off exponentially', async () => {
    const t = testClient((_c, i) => (i === 0 ? graphError(503, 'serviceNotAvailable', 'down') : i === 1 ? { status: 504, body: {} } : { status: 200, body: {} }));
    await t.graph.get('/users/u1');
    expect(t.sleeps).toEqual([1000, 2000]);
  });

  it('When throttling persists, Then it stops after 4 attempts with a retryable throttled error carrying the client-request-id', async () => {
    const t = testClient(() => throttled('1'));
    const err = (await t.graph.get('/users/u1', { step: 'resolve_user' }).catch((e: unknown) => e)) as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('throttled');
    expect(err.retryable).toBe(true);
    expect(err.upstreamStatus).toBe(429);
    expect(err.step).toBe('resolve_user');
    expect(t.calls).toHaveLength(4);
    const ids = new Set(t.calls.map((c) => c.headers.get('client-request-id')));
    expect(ids.size).toBe(1);
    expect(err.details?.clientRequestId).toBe([...ids][0]);
    expect(err.details?.attempts).toBe(4);
  });

  it('When Retry-After would exceed the total wait cap, Then it gives up instead of waiting', async () => {
    const t = testClient(() => throttled('50'), { maxTotalWaitMs: 60_000 });
    await expect(t.graph.get('/users/u1')).rejects.toMatchObject({ code: 'throttled' });
    expect(t.sleeps).toEqual([50_000]);
    expect(t.calls).toHaveLength(2);
  });

  it('does not retry a 400, 403 or 404', async () => {
    for (const status of [400, 403, 404]) {
      const t = testClient(() => graphError(status, 'X', 'no'));
      await expect(t.graph.get('/x')).rejects.toBeInstanceOf(AppError);
      expect(t.calls).toHaveLength(1);
    }
  });

  it('sends a bearer token and a fresh client-request-id per call', async () => {
    const t = testClient(() => ({ status: 200, body: {} }));
    await t.graph.get('/a');
    await t.graph.get('/b');
    expect(t.calls[0]?.headers.get('authorization')).toBe('Bearer test-token');
    expect(t.calls[0]?.headers.get('client-request-id')).not.toBe(t.calls[1]?.headers.get('client-request-id'));
    expect(t.calls[0]?.url.origin).toBe('https://graph.test');
    expect(t.calls[0]?.url.pathname).toBe('/v1.0/a');
  });

  it('parses Retry-After as seconds, fractions or an HTTP date', () => {
    expect(parseRetryAfter('10')).toBe(10_000);
    expect(parseRetryAfter('2.128')).toBe(2128);
    expect(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('keeps next-page links on our own host and version', () => {
    const t = testClient(() => ({ status: 200, body: {} }));
    expect(t.graph.relativeLink("https://graph.microsoft.com/v1.0/users?$top=5&$skiptoken=X%27445%27")).toBe("/users?$top=5&$skiptoken=X%27445%27");
    expect(t.graph.relativeLink('https://evil.example/beta/users')).toBeUndefined();
  });
});
