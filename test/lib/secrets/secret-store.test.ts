import { describe, expect, it } from 'vitest';
import { createSecretStore, envNameFor, type SecretReader } from '../../../lib/secrets/secret-store.js';

/** A SecretClient stand-in whose values, failures and call count the test controls. */
class FakeVault implements SecretReader {
  values = new Map<string, string>();
  failWith: Error | undefined;
  calls = 0;
  async getSecret(name: string): Promise<{ value?: string }> {
    this.calls++;
    await new Promise((resolve) => setImmediate(resolve));
    if (this.failWith) throw this.failWith;
    if (!this.values.has(name)) throw Object.assign(new Error('SecretNotFound'), { statusCode: 404 });
    return { value: this.values.get(name) };
  }
}

function setup() {
  const vault = new FakeVault();
  const clock = { now: 1_000_000 };
  const failures: string[] = [];
  const store = createSecretStore({ client: vault, refreshMs: 5 * 60_000, now: () => clock.now, onRefreshError: (name) => failures.push(name) });
  return { vault, clock, failures, store };
}

describe('secret store (Key Vault)', () => {
  it('reads once and serves from cache until the refresh interval', async () => {
    const { vault, clock, store } = setup();
    vault.values.set('graph-client-secret', 'v1');
    expect(await store.get('graph-client-secret')).toBe('v1');
    expect(await store.get('graph-client-secret')).toBe('v1');
    expect(vault.calls).toBe(1);
    clock.now += 4 * 60_000;
    expect(await store.get('graph-client-secret')).toBe('v1');
    expect(vault.calls).toBe(1);
  });

  it('picks up a rotated secret after the refresh interval, without a restart', async () => {
    const { vault, clock, store } = setup();
    vault.values.set('graph-client-secret', 'v1');
    await store.get('graph-client-secret');
    vault.values.set('graph-client-secret', 'v2');
    clock.now += 5 * 60_000 + 1;
    expect(await store.get('graph-client-secret')).toBe('v2');
  });

  it('a failed refresh keeps serving the last good value, reports it, and retries later', async () => {
    const { vault, clock, failures, store } = setup();
    vault.values.set('s', 'good');
    await store.get('s');
    vault.failWith = new Error('vault down');
    clock.now += 6 * 60_000;
    expect(await store.get('s')).toBe('good');
    expect(failures).toEqual(['s']);
    const callsAfterFailure = vault.calls;
    expect(await store.get('s')).toBe('good');
    expect(vault.calls).toBe(callsAfterFailure);
    vault.failWith = undefined;
    vault.values.set('s', 'rotated');
    clock.now += 31_000;
    expect(await store.get('s')).toBe('rotated');
  });

  it('never caches an empty value', async () => {
    const { vault, store } = setup();
    vault.values.set('notification-mailbox', '');
    await expect(store.get('notification-mailbox')).rejects.toMatchObject({ code: 'configuration', message: expect.stringContaining('notification-mailbox') });
    vault.values.set('notification-mailbox', 'alerts@msp.example');
    expect(await store.get('notification-mailbox')).toBe('alerts@msp.example');
  });

  it('an unreachable vault with nothing cached is a retryable service_unavailable', async () => {
    const { vault, store } = setup();
    vault.failWith = Object.assign(new Error('ECONNREFUSED'), { statusCode: undefined });
    await expect(store.get('x')).rejects.toMatchObject({ code: 'service_unavailable', retryable: true, status: 503 });
  });

  it('concurrent first reads share one vault call', async () => {
    const { vault, store } = setup();
    vault.values.set('s', 'v');
    expect(await Promise.all([store.get('s'), store.get('s'), store.get('s')])).toEqual(['v', 'v', 'v']);
    expect(vault.calls).toBe(1);
  });

  it('requireAll names every missing secret at once', async () => {
    const { vault, store } = setup();
    vault.values.set('a', '1');
    await expect(store.requireAll(['a', 'b', 'c'])).rejects.toMatchObject({
      code: 'configuration',
      message: 'Missing secrets: b, c (looked up in Key Vault).',
      details: { missing: ['b', 'c'] },
    });
    vault.values.set('b', '2');
    vault.values.set('c', '3');
    expect(await store.requireAll(['a', 'b', 'c'])).toEqual({ a: '1', b: '2', c: '3' });
  });

  it('error messages never contain secret values', async () => {
    const { vault, clock, store } = setup();
    vault.values.set('s', 'TopSecretValue');
    await store.get('s');
    vault.failWith = new Error('boom');
    clock.now += 10 * 60_000;
    await store.get('s');
    await expect(store.requireAll(['s', 'missing'])).rejects.toSatisfy((err: Error) => !err.message.includes('TopSecretValue'));
  });
});

describe('secret store (environment)', () => {
  it.each([
    ['graph-client-secret', 'GRAPH_CLIENT_SECRET'],
    ['graphClientSecret', 'GRAPH_CLIENT_SECRET'],
    ['notification.mailbox', 'NOTIFICATION_MAILBOX'],
    ['ALREADY_UPPER', 'ALREADY_UPPER'],
  ])('%s → %s', (name, env) => {
    expect(envNameFor(name)).toBe(env);
  });

  it('reads environment variables by mapped name and sees changes after refresh', async () => {
    const env: NodeJS.ProcessEnv = { GRAPH_CLIENT_SECRET: 'from-env' };
    const clock = { now: 0 };
    const store = createSecretStore({ env, now: () => clock.now, refreshMs: 1000 });
    expect(await store.get('graph-client-secret')).toBe('from-env');
    env.GRAPH_CLIENT_SECRET = 'changed';
    clock.now += 1001;
    expect(await store.get('graph-client-secret')).toBe('changed');
    await expect(store.requireAll(['graph-client-secret', 'other-secret'])).rejects.toMatchObject({
      message: 'Missing secret: other-secret (looked up in environment).',
      fix: expect.stringContaining('OTHER_SECRET'),
    });
  });
});
