import { AppError } from '../errors/app-error.js';

/**
 * Secrets by name with a refreshing cache. A rotated secret is picked up after the refresh interval
 * without a restart; a failed refresh keeps serving the last good value and reports it; an empty or
 * missing value is never cached, so one transient Key Vault failure cannot switch a feature (such as
 * failure mail) off until the next restart.
 */

/** The part of @azure/keyvault-secrets' SecretClient we use (so tests can inject a fake). */
export interface SecretReader {
  getSecret(name: string): Promise<{ value?: string | undefined }>;
}

export interface SecretStoreOptions {
  /** Key Vault client; without it secrets come from environment variables. */
  client?: SecretReader;
  env?: NodeJS.ProcessEnv;
  /** Default 5 minutes. */
  refreshMs?: number;
  /** After a failed refresh, how long to serve the last good value before trying again (default 30 s). */
  retryAfterFailureMs?: number;
  now?: () => number;
  /** Told about refresh failures (the name only, never a value). */
  onRefreshError?: (name: string, err: unknown) => void;
}

interface Entry {
  value: string;
  refreshAt: number;
}

/** "graph-client-secret" / "graphClientSecret" → "GRAPH_CLIENT_SECRET". */
export function envNameFor(secretName: string): string {
  return secretName
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

class MissingSecret extends Error {}

function statusOf(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

export function createSecretStore(options: SecretStoreOptions = {}) {
  const env = options.env ?? process.env;
  const refreshMs = options.refreshMs ?? 5 * 60_000;
  const retryAfterFailureMs = options.retryAfterFailureMs ?? 30_000;
  const now = options.now ?? Date.now;
  const onRefreshError =
    options.onRefreshError ??
    ((name: string) => process.emitWarning(`Refreshing secret "${name}" failed; serving the last good value.`, 'SecretRefreshWarning'));
  const cache = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<string>>();
  const source = options.client ? 'Key Vault' : 'environment';

  async function fetchValue(name: string): Promise<string> {
    let value: string | undefined;
    if (options.client) {
      try {
        value = (await options.client.getSecret(name)).value;
      } catch (err) {
        if (statusOf(err) === 404) throw new MissingSecret(name);
        throw err;
      }
    } else {
      value = env[envNameFor(name)];
    }
    if (value === undefined || value === '') throw new MissingSecret(name);
    return value;
  }

  function missingError(names: string[]): AppError {
    const where = options.client ? 'the Key Vault (KEY_VAULT_URL)' : `environment variables ${names.map(envNameFor).join(', ')}`;
    return new AppError({
      code: 'configuration',
      message: `Missing secret${names.length > 1 ? 's' : ''}: ${names.join(', ')} (looked up in ${source}).`,
      status: 500,
      fix: `Add ${names.length > 1 ? 'them' : 'it'} to ${where}; for Key Vault also check the Function App's managed identity can read secrets.`,
      step: 'load_secrets',
      details: { missing: names },
    });
  }

  function unavailableError(name: string, err: unknown): AppError {
    return new AppError({
      code: 'service_unavailable',
      message: `The secret "${name}" could not be read from ${source}.`,
      status: 503,
      fix: "Check the Key Vault is reachable and the Function App's managed identity has the Key Vault Secrets User role.",
      step: 'load_secrets',
      retryable: true,
      cause: err,
    });
  }

  async function load(name: string): Promise<string> {
    const cached = cache.get(name);
    try {
      const value = await fetchValue(name);
      cache.set(name, { value, refreshAt: now() + refreshMs });
      return value;
    } catch (err) {
      if (cached) {
        // Last good value beats an outage; try again soon rather than on every call.
        cached.refreshAt = now() + retryAfterFailureMs;
        onRefreshError(name, err);
        return cached.value;
      }
      throw err instanceof MissingSecret ? missingError([name]) : unavailableError(name, err);
    }
  }

  async function get(name: string): Promise<string> {
    const cached = cache.get(name);
    if (cached && cached.refreshAt > now()) return cached.value;
    let pending = inFlight.get(name);
    if (!pending) {
      pending = load(name).finally(() => inFlight.delete(name));
      inFlight.set(name, pending);
    }
    return pending;
  }

  /** Reads every named secret; fails once, naming all the missing ones. */
  async function requireAll(names: readonly string[]): Promise<Record<string, string>> {
    const results = await Promise.allSettled(names.map((name) => get(name)));
    const missing: string[] = [];
    const values: Record<string, string> = {};
    for (const [index, result] of results.entries()) {
      const name = names[index] ?? '';
      if (result.status === 'fulfilled') values[name] = result.value;
      else if (result.reason instanceof AppError && result.reason.code === 'configuration') missing.push(name);
      else throw result.reason;
    }
    if (missing.length > 0) throw missingError(missing);
    return values;
  }

  return { get, requireAll, clear: () => cache.clear() };
}

export type SecretStore = ReturnType<typeof createSecretStore>;
