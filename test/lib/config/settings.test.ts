import { beforeEach, describe, expect, it } from 'vitest';
import { loadSettings, requireSetting, resetSettingsCache } from '../../../lib/config/settings.js';

beforeEach(() => resetSettingsCache());

describe('loadSettings', () => {
  it('applies the documented defaults to an empty environment', () => {
    const s = loadSettings({});
    expect(s).toMatchObject({
      GRAPH_BASE_URL: 'https://graph.microsoft.com',
      GRAPH_AUTH_MODE: 'managed-identity',
      IDEMPOTENCY_TTL_HOURS: 24,
      IDEMPOTENCY_LEASE_MINUTES: 15,
      PASSWORD_LENGTH: 16,
      ONE_TIME_LINK_TTL_HOURS: 24,
      SECRET_REFRESH_MINUTES: 5,
      PROTECTED_GROUPS: [],
      ALLOWED_CALLER_OBJECT_IDS: [],
      DEPLOYMENT_MODE: 'customer',
      AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com',
      CUSTOMERS_TABLE_NAME: 'customers',
    });
    expect(s.PUBLIC_BASE_URL).toBeUndefined();
    expect(s.APPLICATIONINSIGHTS_CONNECTION_STRING).toBeUndefined();
  });

  it('parses lists, numbers, URLs and codes', () => {
    const s = loadSettings({
      GRAPH_BASE_URL: 'http://127.0.0.1:7081/',
      PASSWORD_LENGTH: ' 20 ',
      PROTECTED_GROUPS: 'Global Admins; Break Glass ,, 6f1c1f0e-8d0b-4c53-9d69-1b2c3d4e5f60',
      ALLOWED_CALLER_OBJECT_IDS: 'AAAA-1, bbbb-2',
      DEFAULT_USAGE_LOCATION: 'gb',
      PUBLIC_BASE_URL: 'https://helpers.example/',
      GRAPH_AUTH_MODE: 'Customer-Tenant',
      DEPLOYMENT_MODE: 'msp',
      MSP_APP_CLIENT_ID: 'app',
      MSP_IDENTITY_CLIENT_ID: 'identity',
    });
    expect(s.GRAPH_BASE_URL).toBe('http://127.0.0.1:7081');
    expect(s.PASSWORD_LENGTH).toBe(20);
    expect(s.PROTECTED_GROUPS).toEqual(['Global Admins', 'Break Glass', '6f1c1f0e-8d0b-4c53-9d69-1b2c3d4e5f60']);
    expect(s.ALLOWED_CALLER_OBJECT_IDS).toEqual(['aaaa-1', 'bbbb-2']);
    expect(s.DEFAULT_USAGE_LOCATION).toBe('GB');
    expect(s.PUBLIC_BASE_URL).toBe('https://helpers.example');
    expect(s.GRAPH_AUTH_MODE).toBe('customer-tenant');
  });

  it('fails fast naming every invalid setting', () => {
    let thrown: unknown;
    try {
      loadSettings({ PASSWORD_LENGTH: '4', GRAPH_AUTH_MODE: 'password', PUBLIC_BASE_URL: 'not a url', DEFAULT_USAGE_LOCATION: 'GBR' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 'configuration', status: 500 });
    const error = thrown as { message: string; details: { settings: string[] } };
    expect([...error.details.settings].sort()).toEqual(['DEFAULT_USAGE_LOCATION', 'GRAPH_AUTH_MODE', 'PASSWORD_LENGTH', 'PUBLIC_BASE_URL']);
    expect(error.message).toContain('PASSWORD_LENGTH must be a whole number from 8 to 256 (got "4")');
    expect(error.message).toContain('GRAPH_AUTH_MODE must be one of managed-identity, customer-tenant (got "password")');
    expect(error.message).toContain('PUBLIC_BASE_URL must be an absolute URL');
    expect(error.message).toContain('DEFAULT_USAGE_LOCATION must be a two-letter ISO country code');
  });

  it('msp mode (docs/msp-mode.md): customer-tenant by default, needs the app and identity ids, and never the helpers\' own identity', () => {
    expect(loadSettings({ DEPLOYMENT_MODE: 'msp', MSP_APP_CLIENT_ID: 'a', MSP_IDENTITY_CLIENT_ID: 'i' }).GRAPH_AUTH_MODE).toBe('customer-tenant');
    expect(() => loadSettings({ DEPLOYMENT_MODE: 'msp' })).toThrow(/MSP_APP_CLIENT_ID is required when DEPLOYMENT_MODE is msp; MSP_IDENTITY_CLIENT_ID is required/);
    expect(() => loadSettings({ DEPLOYMENT_MODE: 'msp', GRAPH_AUTH_MODE: 'managed-identity', MSP_APP_CLIENT_ID: 'a', MSP_IDENTITY_CLIENT_ID: 'i' })).toThrow(
      /GRAPH_AUTH_MODE must be customer-tenant \(or unset\) when DEPLOYMENT_MODE is msp/,
    );
    expect(() => loadSettings({ GRAPH_AUTH_MODE: 'customer-tenant', MSP_APP_CLIENT_ID: 'a', MSP_IDENTITY_CLIENT_ID: 'i' })).toThrow(/customer-tenant needs DEPLOYMENT_MODE msp/);
    expect(() => loadSettings({ GRAPH_AUTH_MODE: 'client-secret' })).toThrow(/GRAPH_AUTH_MODE must be one of managed-identity, customer-tenant/);
  });

  it('caches per environment and re-parses when a read key changes', () => {
    const env: NodeJS.ProcessEnv = { PASSWORD_LENGTH: '12' };
    const first = loadSettings(env);
    expect(loadSettings(env)).toBe(first);
    env.UNRELATED = 'x';
    expect(loadSettings(env)).toBe(first);
    env.PASSWORD_LENGTH = '14';
    expect(loadSettings(env).PASSWORD_LENGTH).toBe(14);
  });

  it('requireSetting names the setting a feature needs', () => {
    const s = loadSettings({});
    expect(() => requireSetting(s, 'PUBLIC_BASE_URL', 'one-time password links')).toThrow(
      expect.objectContaining({ code: 'configuration', message: 'The app setting PUBLIC_BASE_URL is not set; it is required for one-time password links.' }),
    );
    expect(() => requireSetting(s, 'ALLOWED_CALLER_OBJECT_IDS', 'caller checks')).toThrow(/ALLOWED_CALLER_OBJECT_IDS/);
    expect(requireSetting(loadSettings({ PUBLIC_BASE_URL: 'https://x.example' }), 'PUBLIC_BASE_URL', 'links')).toBe('https://x.example');
  });
});
