import { loadSettings, type Settings } from '../config/settings.js';
import { getTableClient, type TableStorageConfig } from '../storage/tables.js';
import { AppError } from '../errors/app-error.js';
import { IdempotencyLedger } from './ledger.js';

/** The ledger the HTTP functions use, built from app settings (table "idempotency"). */
export const LEDGER_TABLE = 'idempotency';

const ledgers = new Map<string, IdempotencyLedger>();

export function storageConfigFromSettings(settings: Settings): TableStorageConfig {
  const connectionString = settings.TABLES_CONNECTION_STRING ?? settings.AzureWebJobsStorage;
  if (connectionString) return { connectionString };
  if (settings.TABLES_ENDPOINT) return { endpoint: settings.TABLES_ENDPOINT };
  throw new AppError({
    code: 'configuration',
    message: 'Table Storage is not configured for the idempotency ledger.',
    status: 500,
    fix: 'Set TABLES_CONNECTION_STRING (local, Azurite) or TABLES_ENDPOINT (Azure, managed identity) on the Function App.',
    step: 'load_settings',
  });
}

export function getLedger(settings: Settings = loadSettings()): IdempotencyLedger {
  const config = storageConfigFromSettings(settings);
  const cacheKey = [config.connectionString ?? config.endpoint, settings.IDEMPOTENCY_TTL_HOURS, settings.IDEMPOTENCY_LEASE_MINUTES].join('|');
  let ledger = ledgers.get(cacheKey);
  if (!ledger) {
    ledger = new IdempotencyLedger({
      table: () => getTableClient(LEDGER_TABLE, config),
      ttlHours: settings.IDEMPOTENCY_TTL_HOURS,
      leaseMinutes: settings.IDEMPOTENCY_LEASE_MINUTES,
    });
    ledgers.set(cacheKey, ledger);
  }
  return ledger;
}
