import { afterEach, describe, expect, it } from 'vitest';
import { resetSettingsCache } from '../../../lib/config/settings.js';
import { createSecretStore, getSecret, requireSecrets, setSecretStore } from '../../../lib/secrets/index.js';

afterEach(() => {
  delete process.env.BENCH_TEST_SECRET;
  setSecretStore(undefined);
  resetSettingsCache();
});

describe('getSecret / requireSecrets (process store)', () => {
  it('without KEY_VAULT_URL reads environment variables by UPPER_SNAKE name', async () => {
    setSecretStore(undefined);
    process.env.BENCH_TEST_SECRET = 'from-env-1';
    expect(await getSecret('bench-test-secret')).toBe('from-env-1');
    await expect(requireSecrets(['bench-test-secret', 'absent-secret-x'])).rejects.toMatchObject({ code: 'configuration', details: { missing: ['absent-secret-x'] } });
  });

  it('uses an injected store (e.g. a fake Key Vault client)', async () => {
    setSecretStore(createSecretStore({ client: { getSecret: async (name) => ({ value: `vault:${name}` }) } }));
    expect(await getSecret('graph-client-secret')).toBe('vault:graph-client-secret');
    expect(await requireSecrets(['a', 'b'])).toEqual({ a: 'vault:a', b: 'vault:b' });
  });
});
