import { TableClient } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';

/**
 * The one place that builds Table Storage clients (idempotency ledger, one-time password links).
 *
 * Locally a connection string points at Azurite; in Azure the account endpoint plus the Function
 * App's managed identity is used, so no storage key ever sits in app settings.
 */
export interface TableStorageConfig {
  /** e.g. "UseDevelopmentStorage=true" or an Azurite connection string; takes precedence. */
  connectionString?: string;
  /** e.g. "https://<account>.table.core.windows.net" (managed identity). */
  endpoint?: string;
}

const ensured = new Map<string, Promise<void>>();

export function tableStorageConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TableStorageConfig {
  const connectionString = env.TABLES_CONNECTION_STRING ?? env.AzureWebJobsStorage;
  const endpoint = env.TABLES_ENDPOINT;
  if (connectionString) return { connectionString };
  if (endpoint) return { endpoint };
  throw new Error(
    'Table Storage is not configured: set TABLES_CONNECTION_STRING (local, Azurite) or TABLES_ENDPOINT (Azure, managed identity).',
  );
}

/** Returns a client for `tableName`, creating the table once per process (idempotent). */
export async function getTableClient(tableName: string, config: TableStorageConfig): Promise<TableClient> {
  // Few SDK retries: when storage is down the helper should say so within seconds, not after a long back-off;
  // the workflow's own retry policy repeats the whole call.
  const options = { retryOptions: { maxRetries: 2 } };
  const client = config.connectionString
    ? TableClient.fromConnectionString(config.connectionString, tableName, { ...options, allowInsecureConnection: true })
    : new TableClient(`${config.endpoint}`, tableName, new DefaultAzureCredential(), options);
  const key = `${config.connectionString ?? config.endpoint}|${tableName}`;
  let ready = ensured.get(key);
  if (!ready) {
    ready = client.createTable().catch((err: unknown) => {
      ensured.delete(key);
      throw err;
    });
    ensured.set(key, ready);
  }
  await ready;
  return client;
}
