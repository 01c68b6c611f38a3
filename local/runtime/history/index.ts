/** Run-history store of the local Logic Apps runtime: durable (segment files) or in-memory. */
export { openHistoryStore, type HistoryStoreOptions, type OpenedLog } from './durable-store.js';
export { createMemoryHistoryStore } from './memory-store.js';
