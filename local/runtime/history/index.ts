/** Run-history store of the local Logic Apps runtime: an embedded SQLite database (or an in-memory one). */
export { openHistoryStore, createMemoryHistoryStore, HISTORY_FILE, type HistoryStoreOptions, type OpenedHistory, type DurableHistoryStore } from './open-store.js';
export { openSqliteStore, type SqliteHistoryStore, type CheckpointJournal } from './sqlite-store.js';
export { retentionFromSettings, purgeExpired, RetentionSettingError, DEFAULT_RETENTION_DAYS, type RetentionPolicy } from './retention.js';
export { HistorySchemaError } from './schema.js';
export type { LegacyImport } from './legacy-import.js';
