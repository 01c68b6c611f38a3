/** The engine tests' in-memory HistoryStore (kept under local/ so bench/ can use it too). */
export { MemoryHistory } from '../../../local/runtime/engine/memory-history.js';
