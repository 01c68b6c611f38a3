import { loadSettings, type Settings } from '../config/settings.js';
import { storageConfigFromSettings } from '../idempotency/default-ledger.js';
import { getTableClient } from '../storage/tables.js';
import { DISPATCH_TABLE, DispatchStore } from './store.js';

export * from './errors.js';
export * from './store.js';

const stores = new Map<string, DispatchStore>();

/** The store the HTTP functions use, on the same storage account as the idempotency ledger. */
export function getDispatchStore(settings: Settings = loadSettings()): DispatchStore {
  const config = storageConfigFromSettings(settings);
  const cacheKey = config.connectionString ?? config.endpoint ?? '';
  let store = stores.get(cacheKey);
  if (!store) {
    store = new DispatchStore({ table: () => getTableClient(DISPATCH_TABLE, config) });
    stores.set(cacheKey, store);
  }
  return store;
}
