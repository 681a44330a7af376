import type Database from 'better-sqlite3';

/**
 * Migrations by PRAGMA user_version: each entry upgrades from its index to the next, so a data
 * directory written by an older release opens in a newer one.
 */
const migrations: string[] = [
  `
  CREATE TABLE functions (
    name        TEXT PRIMARY KEY,
    version     INTEGER NOT NULL,
    mode_pin    TEXT NOT NULL DEFAULT 'auto',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
  );
  -- One row per deployed version; trace_json and compiled_code are filled by the acceleration stages
  -- for that exact source, so a restart keeps acceleration.
  CREATE TABLE versions (
    name          TEXT NOT NULL,
    version       INTEGER NOT NULL,
    source        TEXT NOT NULL,
    config_json   TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    trace_json    TEXT,
    trace_updated_at INTEGER,
    compiled_code TEXT,
    compiled_at   INTEGER,
    PRIMARY KEY (name, version)
  );
  CREATE TABLE activations (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL,
    name         TEXT NOT NULL,
    version      INTEGER NOT NULL,
    start        INTEGER NOT NULL,
    duration_ms  REAL NOT NULL,
    mode         TEXT NOT NULL,
    status       INTEGER NOT NULL,
    reexecuted   INTEGER NOT NULL,
    abort_reason TEXT,
    logs_json    TEXT NOT NULL
  );
  CREATE INDEX activations_by_name ON activations (name, seq);
  CREATE TABLE stats (
    name  TEXT NOT NULL,
    key   TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (name, key)
  );
  `,
];

export function migrate(db: Database.Database): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() >= migrations.length) return;
  // Under the write lock, reading the version again: two connections opening a new data directory
  // at once (the server and its compile worker) must not both run a migration.
  db.transaction(() => {
    for (let v = version(); v < migrations.length; v++) {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }
  }).immediate();
}
