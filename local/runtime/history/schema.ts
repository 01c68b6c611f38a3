import type Database from 'better-sqlite3';

/** Bumped when the tables below change shape; an unknown newer version is refused, not guessed at. */
export const SCHEMA_VERSION = 1;

/**
 * One row per run, action, repetition and checkpoint. Rowid tables with unique keys, not WITHOUT ROWID:
 * records run to kilobytes, and WITHOUT ROWID suits rows of a few hundred bytes at most
 * (https://sqlite.org/withoutrowid.html#when_to_use_without_rowid); with larger rows the file grew
 * about four times over. Each record is kept whole as JSON text (what the
 * management API and the run-history page show), with the columns the queries filter on beside it.
 *
 * Runs are indexed the way Azure lets you search run history: by workflow, status, start time and
 * client tracking id (`$filter` on the runs list). Every list is newest first, so each index ends
 * with (start_time, name), the order pages are read in.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS runs (
  workflow TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  start_time TEXT NOT NULL,
  client_tracking_id TEXT NOT NULL,
  record TEXT NOT NULL,
  UNIQUE (workflow, name)
);
CREATE INDEX IF NOT EXISTS runs_by_time ON runs (start_time, name);
CREATE INDEX IF NOT EXISTS runs_by_workflow ON runs (workflow, start_time, name);
CREATE INDEX IF NOT EXISTS runs_by_status ON runs (status, start_time, name);
CREATE INDEX IF NOT EXISTS runs_by_tracking_id ON runs (client_tracking_id, start_time, name);

CREATE TABLE IF NOT EXISTS actions (
  workflow TEXT NOT NULL,
  run TEXT NOT NULL,
  name TEXT NOT NULL,
  ord INTEGER NOT NULL,
  record TEXT NOT NULL,
  UNIQUE (workflow, run, name)
);

CREATE TABLE IF NOT EXISTS repetitions (
  workflow TEXT NOT NULL,
  run TEXT NOT NULL,
  action TEXT NOT NULL,
  name TEXT NOT NULL,
  record TEXT NOT NULL,
  UNIQUE (workflow, run, action, name)
);

-- What an unfinished stateful run needs to resume after a restart (sealed: it holds unredacted
-- values). Rows exist only while the run is in flight.
CREATE TABLE IF NOT EXISTS run_checkpoints (
  workflow TEXT NOT NULL,
  run TEXT NOT NULL,
  seq INTEGER NOT NULL,
  sealed BLOB NOT NULL,
  UNIQUE (workflow, run, seq)
);
`;

export class HistorySchemaError extends Error {
  constructor(
    readonly file: string,
    readonly found: number,
  ) {
    super(`The run-history database '${file}' was written by a newer version of the local runtime (schema ${found}, this one reads ${SCHEMA_VERSION}). Use a newer runtime or another --data folder.`);
    this.name = 'HistorySchemaError';
  }
}

export function applySchema(db: Database.Database, file: string): void {
  db.exec(DDL);
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string } | undefined;
  const found = row ? Number(row.value) : 0;
  if (found > SCHEMA_VERSION) throw new HistorySchemaError(file, found);
  if (found < SCHEMA_VERSION) db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
}
