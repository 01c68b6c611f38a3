import { getTableClient, tableStorageConfigFromEnv } from '../storage/tables.js';
import { loadSettings, requireSetting } from '../config/settings.js';
import { AppError } from '../errors/app-error.js';
import {
  createOneTimeLinkStore,
  ONE_TIME_LINK_TABLE,
  type CreateLinkOptions,
  type LinkState,
  type OneTimeLink,
  type OneTimeLinkStore,
} from './one-time-link-store.js';

/**
 * The app's one-time link store, configured from settings (PUBLIC_BASE_URL, ONE_TIME_LINK_TTL_HOURS,
 * TABLES_CONNECTION_STRING / TABLES_ENDPOINT). Built on first use, never at import time.
 */
let store: OneTimeLinkStore | undefined;

function defaultStore(): OneTimeLinkStore {
  if (store) return store;
  const settings = loadSettings();
  store = createOneTimeLinkStore({
    table: async () => {
      let config;
      try {
        config = tableStorageConfigFromEnv();
      } catch (err) {
        throw new AppError({
          code: 'configuration',
          message: 'Table Storage is not configured, so one-time password links cannot be stored.',
          status: 500,
          fix: 'Set TABLES_CONNECTION_STRING (local, Azurite) or TABLES_ENDPOINT (Azure, managed identity).',
          step: 'create_link',
          cause: err,
        });
      }
      return getTableClient(ONE_TIME_LINK_TABLE, config);
    },
    publicBaseUrl: () => requireSetting(loadSettings(), 'PUBLIC_BASE_URL', 'one-time password links'),
    ttlHours: settings.ONE_TIME_LINK_TTL_HOURS,
  });
  return store;
}

/** Replaces the default store (local host wiring, tests); undefined restores the settings-based one. */
export function setOneTimeLinkStore(replacement: OneTimeLinkStore | undefined): void {
  store = replacement;
}

export function createOneTimeLink(secret: string, opts?: CreateLinkOptions): Promise<OneTimeLink> {
  return defaultStore().create(secret, opts);
}

export function revealOneTimeLink(id: string, key: string): Promise<string> {
  return defaultStore().reveal(id, key);
}

/** Deletes an unrevealed link; false when it was already used, expired and purged, or unknown. */
export function revokeOneTimeLink(id: string): Promise<boolean> {
  return defaultStore().revoke(id);
}

export function inspectOneTimeLink(id: string): Promise<LinkState> {
  return defaultStore().inspect(id);
}

export type { OneTimeLink, LinkState, CreateLinkOptions } from './one-time-link-store.js';
