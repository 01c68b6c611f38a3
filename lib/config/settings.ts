import { z } from 'zod';
import { AppError } from '../errors/app-error.js';

/**
 * The helpers' app settings, parsed once and checked up front so a misconfigured Function App fails on
 * its first request with the name of the bad setting instead of deep inside a Graph call.
 *
 * Secrets are never settings: a setting may only NAME a secret, and lib/secrets resolves the name from Key Vault
 * (Azure) or the environment (local). msp mode has no secret at all: customer-tenant tokens come from the
 * user-assigned identity's federated credential (docs/msp-mode.md).
 *
 * Other helper areas add their keys to `settingsShape` below (one line each, keep it sorted by area).
 */

/** "a, b; c" → ['a', 'b', 'c']: app settings hold lists as one string. */
const listSetting = z
  .string()
  .optional()
  .transform((raw) =>
    (raw ?? '')
      .split(/[,;]/)
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

const intSetting = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const value = Number(raw.trim());
      if (!Number.isInteger(value) || value < min || value > max) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max} (got "${raw}")` });
        return z.NEVER;
      }
      return value;
    });

const optionalText = z
  .string()
  .optional()
  .transform((raw) => (raw === undefined || raw.trim() === '' ? undefined : raw.trim()));

/** An absolute http(s) URL without a trailing slash (so callers can append "/api/..."). */
const baseUrl = (fallback?: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = raw === undefined || raw.trim() === '' ? fallback : raw.trim();
      if (value === undefined) return undefined;
      let parsed: URL;
      try {
        parsed = new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be an absolute URL such as https://example.com (got "${value}")` });
        return z.NEVER;
      }
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
        ctx.addIssue({ code: 'custom', message: `must be an http or https URL (got "${value}")` });
        return z.NEVER;
      }
      return value.replace(/\/+$/, '');
    });

const settingsShape = {
  // --- Graph access ---
  GRAPH_BASE_URL: baseUrl('https://graph.microsoft.com').transform((v) => v ?? 'https://graph.microsoft.com'),
  /**
   * How the helpers reach Graph: `managed-identity` (customer mode: the Function App's own identity, its own
   * tenant) or `customer-tenant` (msp mode: a token for the customer's tenant from the multi-tenant app's
   * federated credential, lib/msp/customer-token.ts). Unset: follows DEPLOYMENT_MODE.
   */
  GRAPH_AUTH_MODE: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return undefined;
      const mode = raw.trim().toLowerCase();
      const modes = ['managed-identity', 'customer-tenant'] as const;
      const known = modes.find((m) => m === mode);
      if (!known) {
        ctx.addIssue({ code: 'custom', message: `must be one of ${modes.join(', ')} (got "${raw}")` });
        return z.NEVER;
      }
      return known;
    }),
  KEY_VAULT_URL: baseUrl(),
  /** Client id of a user-assigned managed identity for Key Vault/Storage; unset = system-assigned. */
  MANAGED_IDENTITY_CLIENT_ID: optionalText,
  SECRET_REFRESH_MINUTES: intSetting(5, 1, 1440),

  // --- msp mode (docs/msp-mode.md; infra/README.md "msp mode") ---
  /** `customer` (one deployment per customer tenant) or `msp` (one deployment serving many customer tenants). */
  DEPLOYMENT_MODE: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const mode = raw === undefined || raw.trim() === '' ? 'customer' : raw.trim().toLowerCase();
      if (mode === 'customer' || mode === 'msp') return mode;
      ctx.addIssue({ code: 'custom', message: `must be customer or msp (got "${raw}")` });
      return z.NEVER;
    }),
  /** Client id of the multi-tenant app registration the helpers act as in customer tenants. */
  MSP_APP_CLIENT_ID: optionalText,
  /** Client id of the user-assigned identity whose token is the app's client assertion (its federated credential). */
  MSP_IDENTITY_CLIENT_ID: optionalText,
  /** Microsoft Entra sign-in host; the local sign-in stand-in's URL locally. */
  AZURE_AUTHORITY_HOST: baseUrl('https://login.microsoftonline.com').transform((v) => v ?? 'https://login.microsoftonline.com'),
  /** The customers registry table (infra output customersTableName). */
  CUSTOMERS_TABLE_NAME: optionalText.transform((v) => v ?? 'customers'),
  /** Object ids (technicians or their group members' ids) allowed to call POST /api/msp/verify-tenant (customer:add). */
  ONBOARDING_CALLER_OBJECT_IDS: listSetting.transform((ids) => ids.map((id) => id.toLowerCase())),

  // --- Storage (idempotency ledger, one-time links) ---
  TABLES_CONNECTION_STRING: optionalText,
  TABLES_ENDPOINT: baseUrl(),
  AzureWebJobsStorage: optionalText,
  IDEMPOTENCY_TTL_HOURS: intSetting(24, 1, 24 * 30),
  IDEMPOTENCY_LEASE_MINUTES: intSetting(15, 1, 24 * 60),
  /**
   * The Logic App's workflow management API, without a trailing slash: in Azure
   * https://management.azure.com/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{app}/hostruntime/runtime/webhooks/workflow/api/management
   * (https://learn.microsoft.com/rest/api/appservice/workflow-runs/get), locally {runtime}/runtime/webhooks/workflow/api/management.
   * The ledger asks it whether the run holding a request is alive; unset = only the lease decides.
   */
  WORKFLOW_MANAGEMENT_BASE_URL: baseUrl(),

  // --- Passwords and one-time links ---
  PASSWORD_LENGTH: intSetting(16, 8, 256),
  ONE_TIME_LINK_TTL_HOURS: intSetting(24, 1, 24 * 7),
  /** Where people open one-time links, e.g. https://<functionapp>.azurewebsites.net. */
  PUBLIC_BASE_URL: baseUrl(),

  // --- Intent policy ---
  DEFAULT_USAGE_LOCATION: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'must be a two-letter ISO country code such as US or GB')
      .transform((v) => v.toUpperCase())
      .optional(),
  ),
  PROTECTED_GROUPS: listSetting,
  /**
   * Whether offboarding may forward mail outside the tenant's verified domains (set by infra from
   * allowExternalForwarding; default false). Microsoft 365's outbound spam policy blocks automatic external
   * forwarding by default: https://learn.microsoft.com/defender-office-365/outbound-spam-policies-external-email-forwarding
   */
  ALLOW_EXTERNAL_FORWARDING: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const word = (raw ?? '').trim().toLowerCase();
      if (word === '' || word === 'false') return false;
      if (word === 'true') return true;
      ctx.addIssue({ code: 'custom', message: 'must be true or false' });
      return z.NEVER;
    }),

  // --- Caller authorisation (Easy Auth) ---
  ALLOWED_CALLER_OBJECT_IDS: listSetting.transform((ids) => ids.map((id) => id.toLowerCase())),

  // --- Telemetry ---
  APPLICATIONINSIGHTS_CONNECTION_STRING: optionalText,
};

const settingsSchema = z
  .object(settingsShape)
  .superRefine((s, ctx) => {
    const mode = s.GRAPH_AUTH_MODE ?? (s.DEPLOYMENT_MODE === 'msp' ? 'customer-tenant' : 'managed-identity');
    // msp mode with the helpers' own identity would read the MSP's tenant instead of the customer's: refuse it.
    if (s.DEPLOYMENT_MODE === 'msp' && mode !== 'customer-tenant') {
      ctx.addIssue({ code: 'custom', path: ['GRAPH_AUTH_MODE'], message: 'must be customer-tenant (or unset) when DEPLOYMENT_MODE is msp' });
    }
    if (s.DEPLOYMENT_MODE === 'customer' && mode === 'customer-tenant') {
      ctx.addIssue({ code: 'custom', path: ['GRAPH_AUTH_MODE'], message: 'customer-tenant needs DEPLOYMENT_MODE msp' });
    }
    if (mode === 'customer-tenant') {
      for (const key of ['MSP_APP_CLIENT_ID', 'MSP_IDENTITY_CLIENT_ID'] as const) {
        if (!s[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when DEPLOYMENT_MODE is msp' });
      }
    }
  })
  .transform((s) => ({
    ...s,
    GRAPH_AUTH_MODE: s.GRAPH_AUTH_MODE ?? (s.DEPLOYMENT_MODE === 'msp' ? ('customer-tenant' as const) : ('managed-identity' as const)),
  }));

export type Settings = z.output<typeof settingsSchema>;

let cached: { env: NodeJS.ProcessEnv; snapshot: string; settings: Settings } | undefined;

/** Only the keys we read take part in the cache key, so unrelated env churn does not re-parse. */
function snapshotOf(env: NodeJS.ProcessEnv): string {
  return JSON.stringify(Object.keys(settingsShape).map((key) => env[key] ?? null));
}

/**
 * Parses and caches the settings. Throws AppError `configuration` naming every bad setting at once.
 * A changed value of a read key (tests, hot app-setting swaps) is picked up on the next call.
 */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const snapshot = snapshotOf(env);
  if (cached && cached.env === env && cached.snapshot === snapshot) return cached.settings;
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(settingsShape)) input[key] = env[key];
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'settings'} ${issue.message}`);
    throw new AppError({
      code: 'configuration',
      message: `Invalid app settings: ${problems.join('; ')}.`,
      status: 500,
      fix: 'Correct the named app settings on the Function App (or local.settings.json locally) and restart it.',
      step: 'load_settings',
      details: { settings: parsed.error.issues.map((issue) => issue.path.join('.')) },
    });
  }
  cached = { env, snapshot, settings: parsed.data };
  return parsed.data;
}

/** Forgets the parsed settings (tests). */
export function resetSettingsCache(): void {
  cached = undefined;
}

/**
 * Returns a setting that is optional in general but required by the calling feature, or throws an
 * AppError `configuration` naming it (e.g. PUBLIC_BASE_URL for one-time links).
 */
export function requireSetting<K extends keyof Settings>(settings: Settings, key: K, feature: string): NonNullable<Settings[K]> {
  const value = settings[key];
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
    throw new AppError({
      code: 'configuration',
      message: `The app setting ${String(key)} is not set; it is required for ${feature}.`,
      status: 500,
      fix: `Set ${String(key)} on the Function App (or in local.settings.json locally) and restart it.`,
      step: 'load_settings',
      details: { setting: String(key) },
    });
  }
  return value as NonNullable<Settings[K]>;
}
