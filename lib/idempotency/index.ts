/** THE storage seam for the idempotency ledger. */
export {
  IdempotencyLedger,
  type ClaimOptions,
  type ClaimResult,
  type Handoff,
  type LedgerOptions,
  type LedgerStatus,
  type Takeover,
} from './ledger.js';
export { ledgerKey, isLedgerKey, type ClaimSubject, type LedgerKey } from './key.js';
export { getLedger, runStatusProbeFromSettings, storageConfigFromSettings, LEDGER_TABLE } from './default-ledger.js';
export { httpRunStatusProbe, verdictForStatus, WORKFLOW_RUNS_API_VERSION, type RunStatusProbe, type RunVerdict } from './run-status-probe.js';
export { doneEarlier, parsePreviousAttempt, type DoneStep, type PreviousAttempt, type PreviousStatus } from './previous-attempt.js';
export { combineOutcome, type CombinedOutcome } from './combine-outcome.js';
export { duplicateAnswer, inProgressMessage, type DuplicateAnswer, type DuplicateFacts, type InProgressFacts } from './answer-wording.js';
export { formatUtc } from './utc-time.js';
