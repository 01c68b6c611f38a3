import { ManagedIdentityCredential } from '@azure/identity';
import { loadSettings, type Settings } from '../config/settings.js';
import { cachedTokenProvider } from '../graph/token-provider.js';
import { getTableClient, type TableStorageConfig } from '../storage/tables.js';
import { AppError } from '../errors/app-error.js';
import { IdempotencyLedger } from './ledger.js';
import { httpRunStatusProbe, type RunStatusProbe } from './run-status-probe.js';

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

function isLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '::1' || url.hostname === '[::1]' || url.hostname.startsWith('127.');
}

/**
 * The run-status probe from WORKFLOW_MANAGEMENT_BASE_URL, or none when it is unset. Through Azure Resource
 * Manager the call needs an ARM token ("{origin}/.default") of the Function App's system-assigned identity,
 * which holds Logic Apps Standard Reader (Preview) on the Logic App (infra/modules/rbac.bicep). The local
 * runtime on loopback answers without a token (local/runtime/server/management-auth.ts).
 */
export function runStatusProbeFromSettings(settings: Settings): RunStatusProbe | undefined {
  const base = settings.WORKFLOW_MANAGEMENT_BASE_URL;
  if (!base) return undefined;
  const url = new URL(base);
  if (isLoopback(url)) return httpRunStatusProbe({ baseUrl: base });
  return httpRunStatusProbe({ baseUrl: base, token: cachedTokenProvider(new ManagedIdentityCredential(), `${url.origin}/.default`) });
}

export function getLedger(settings: Settings = loadSettings()): IdempotencyLedger {
  const config = storageConfigFromSettings(settings);
  const cacheKey = [config.connectionString ?? config.endpoint, settings.IDEMPOTENCY_TTL_HOURS, settings.IDEMPOTENCY_LEASE_MINUTES, settings.WORKFLOW_MANAGEMENT_BASE_URL].join('|');
  let ledger = ledgers.get(cacheKey);
  if (!ledger) {
    const probe = runStatusProbeFromSettings(settings);
    ledger = new IdempotencyLedger({
      table: () => getTableClient(LEDGER_TABLE, config),
      ttlHours: settings.IDEMPOTENCY_TTL_HOURS,
      leaseMinutes: settings.IDEMPOTENCY_LEASE_MINUTES,
      ...(probe ? { probe } : {}),
    });
    ledgers.set(cacheKey, ledger);
  }
  return ledger;
}
