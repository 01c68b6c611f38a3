import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { importLegacySegments, type LegacyImport } from './legacy-import.js';
import { purgeExpired, type RetentionPolicy } from './retention.js';
import { openSqliteStore, type SqliteHistoryStore } from './sqlite-store.js';

/** The database file inside the runtime's data folder. */
export const HISTORY_FILE = 'history.sqlite';

export interface HistoryStoreOptions {
  /** Run-history retention; absent: keep everything (tests, benches). */
  retention?: RetentionPolicy;
  /** Time source for retention (tests move it). */
  now?: () => number;
}

export interface OpenedHistory {
  /** What was imported from an earlier JSON-lines data folder. */
  imported: LegacyImport;
  /** Runs removed by retention when the store opened. */
  purged: number;
}

export type DurableHistoryStore = SqliteHistoryStore & { readonly opened: OpenedHistory };

/**
 * Opens (or creates) the run-history database in `dir`. Run history written by the earlier JSON-lines
 * store in the same folder is imported first; then runs past retention are removed, at once and every
 * cool-down interval while the store stays open.
 */
export async function openHistoryStore(dir: string, options: HistoryStoreOptions = {}): Promise<DurableHistoryStore> {
  await mkdir(dir, { recursive: true });
  const store = openSqliteStore(join(dir, HISTORY_FILE));
  let imported: LegacyImport;
  try {
    imported = await importLegacySegments(dir, store);
  } catch (err) {
    await store.close();
    throw err;
  }
  const now = options.now ?? Date.now;
  const retention = options.retention;
  const purged = retention ? purgeExpired(store, retention, now()) : 0;
  let timer: NodeJS.Timeout | undefined;
  if (retention) {
    // setInterval takes at most 2^31-1 ms (~24.8 days); Azure's default cool-down is 7 days.
    timer = setInterval(() => {
      try {
        purgeExpired(store, retention, now());
      } catch {
        // A failed clean-up is retried at the next interval; history stays readable.
      }
    }, Math.min(retention.cooldownMs, 2 ** 31 - 1));
    timer.unref();
  }
  const close = store.close.bind(store);
  return Object.assign(store, {
    opened: { imported, purged },
    close: async () => {
      if (timer) clearInterval(timer);
      await close();
    },
  });
}

/** History that lives only as long as the process (an in-memory database): tests and throwaway runtimes. */
export function createMemoryHistoryStore(): SqliteHistoryStore {
  return openSqliteStore(':memory:');
}
