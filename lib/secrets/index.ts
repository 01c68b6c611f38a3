import { loadSettings } from '../config/settings.js';
import { createSecretStore, type SecretReader, type SecretStore } from './secret-store.js';

/**
 * The app's secrets: Key Vault through the Function App's managed identity when KEY_VAULT_URL is set,
 * environment variables otherwise (local runs). The Key Vault SDK is loaded on first use only.
 */
let store: SecretStore | undefined;

async function keyVaultReader(url: string, clientId: string | undefined): Promise<SecretReader> {
  const [{ SecretClient }, identity] = await Promise.all([import('@azure/keyvault-secrets'), import('@azure/identity')]);
  // A user-assigned identity is named explicitly; otherwise the chain finds the system-assigned one in
  // Azure (or a developer's az login locally).
  const credential = clientId ? new identity.ManagedIdentityCredential({ clientId }) : new identity.DefaultAzureCredential();
  return new SecretClient(url, credential);
}

function defaultStore(): SecretStore {
  if (store) return store;
  const settings = loadSettings();
  const url = settings.KEY_VAULT_URL;
  const refreshMs = settings.SECRET_REFRESH_MINUTES * 60_000;
  if (!url) {
    store = createSecretStore({ refreshMs });
    return store;
  }
  // The reader is created lazily but only once; its promise is shared by every secret read.
  let reader: Promise<SecretReader> | undefined;
  const client: SecretReader = {
    async getSecret(name) {
      reader ??= keyVaultReader(url, settings.MANAGED_IDENTITY_CLIENT_ID);
      return (await reader).getSecret(name);
    },
  };
  store = createSecretStore({ client, refreshMs });
  return store;
}

/** Value of the named secret (e.g. "graph-client-secret"); throws AppError configuration if missing. */
export function getSecret(name: string): Promise<string> {
  return defaultStore().get(name);
}

/** All named secrets at once, failing fast with the names of every missing one. */
export function requireSecrets(names: readonly string[]): Promise<Record<string, string>> {
  return defaultStore().requireAll(names);
}

/** Replaces the process's secret store (tests, local host); undefined rebuilds it from settings. */
export function setSecretStore(replacement: SecretStore | undefined): void {
  store = replacement;
}

export { createSecretStore, envNameFor } from './secret-store.js';
export type { SecretReader, SecretStore, SecretStoreOptions } from './secret-store.js';
