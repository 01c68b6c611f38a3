import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScaledClock } from '../../../local/runtime/engine/clock.js';
import { parseDuration } from '../../../local/runtime/engine/durations.js';
import { createDefaultServices } from '../../../local/runtime/engine/index.js';
import { DEFAULT_RETRY, parseRetryPolicy, retryDelay, statusCodeName } from '../../../local/runtime/engine/retry.js';
import { newRunName } from '../../../local/runtime/engine/run-name.js';
import { json, startScriptedServer } from './http-server.js';

describe('engine services and helpers', () => {
  let identity: Awaited<ReturnType<typeof startScriptedServer>>;
  beforeAll(async () => {
    identity = await startScriptedServer((req, res, n) => {
      if (req.headers['x-identity-header'] !== 'local-secret') return json(res, 401, { error: 'bad header' });
      const resource = new URL(req.url, 'http://x').searchParams.get('resource');
      json(res, 200, { access_token: `tok-${n}-${resource}`, expires_on: String(Math.floor(Date.now() / 1000) + 3600), resource, token_type: 'Bearer' });
    });
  });
  afterAll(async () => identity.stop());

  it('gets managed-identity tokens per the App Service contract and caches them until near expiry', async () => {
    const services = createDefaultServices({ appSettings: { IDENTITY_ENDPOINT: `${identity.url}/msi/token`, IDENTITY_HEADER: 'local-secret' } });
    const first = await services.managedIdentityToken('https://graph.microsoft.com');
    const again = await services.managedIdentityToken('https://graph.microsoft.com');
    const other = await services.managedIdentityToken('api://helpers');
    expect(first).toBe('tok-1-https://graph.microsoft.com');
    expect(again).toBe(first);
    expect(other).toBe('tok-2-api://helpers');
    expect(identity.seen[0]?.url).toBe('/msi/token?resource=https%3A%2F%2Fgraph.microsoft.com&api-version=2019-08-01');
  });

  it('fails clearly without IDENTITY_ENDPOINT', async () => {
    const services = createDefaultServices({ appSettings: { IDENTITY_ENDPOINT: '', IDENTITY_HEADER: '' } });
    await expect(services.managedIdentityToken('x')).rejects.toThrow(/IDENTITY_ENDPOINT/);
  });

  it('scales waits and can be aborted', async () => {
    const clock = createScaledClock(0.001);
    await clock.sleep(7000);
    const ac = new AbortController();
    const p = createScaledClock(1).sleep(60_000, ac.signal);
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
  });

  it('names runs like Azure: newer runs sort first', () => {
    const older = newRunName(Date.parse('2026-01-01T00:00:00Z'));
    const newer = newRunName(Date.parse('2026-06-01T00:00:00Z'));
    expect(older).toMatch(/^\d{29}CU\d{2}$/);
    expect(newer < older).toBe(true);
    expect(older.startsWith('0858')).toBe(true);
  });

  it('parses durations and retry policies', () => {
    expect(parseDuration('PT7S')).toBe(7000);
    expect(parseDuration('P1DT1H')).toBe(90_000_000);
    expect(parseDuration('PT0.5S')).toBe(500);
    expect(parseDuration('7 seconds')).toBeUndefined();
    expect(parseRetryPolicy(undefined, 'a')).toBe(DEFAULT_RETRY);
    expect(parseRetryPolicy({ type: 'fixed', count: 2, interval: 'PT20S' }, 'a')).toMatchObject({ type: 'fixed', count: 2, intervalMs: 20_000 });
    expect(() => parseRetryPolicy({ type: 'fixed', count: 91, interval: 'PT1S' }, 'a')).toThrow(/between 1 and 90/);
    expect(() => parseRetryPolicy({ type: 'sometimes' }, 'a')).toThrow(/not valid/);
    const exp = parseRetryPolicy({ type: 'exponential', count: 4, interval: 'PT10S', minimumInterval: 'PT5S', maximumInterval: 'PT1M' }, 'a');
    expect(retryDelay(exp, 1, () => 0)).toBe(5000);
    expect(retryDelay(exp, 1, () => 1)).toBe(10_000);
    expect(retryDelay(exp, 3, () => 0)).toBe(20_000);
    expect(retryDelay(exp, 3, () => 1)).toBe(40_000);
    expect(retryDelay(exp, 5, () => 1)).toBe(60_000);
    expect(statusCodeName(429)).toBe('TooManyRequests');
    expect(statusCodeName(413)).toBe('RequestEntityTooLarge');
  });
});
