/** THE storage seam for the idempotency ledger. */
export { IdempotencyLedger, type ClaimResult, type LedgerOptions, type LedgerStatus } from './ledger.js';
export { ledgerKey, isLedgerKey, type ClaimSubject, type LedgerKey } from './key.js';
export { getLedger, storageConfigFromSettings, LEDGER_TABLE } from './default-ledger.js';
