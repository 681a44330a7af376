import type Database from 'better-sqlite3';
import { legacyAbortReason } from './legacy-aborts.ts';

/**
 * Migrations by PRAGMA user_version: each entry upgrades from its index to the next, so a data
 * directory written by an older release opens in a newer one. An entry is SQL, or a function for
 * what SQL cannot say; each runs in the migration's transaction.
 */
const migrations: Array<string | ((db: Database.Database) => void)> = [
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
  // 2: abort reasons became a closed set with a free-form detail (legacy-aborts.ts): activations get
  // `abort_detail`, and old reasons are mapped in activations and `aborts.*` counters (summed).
  (db) => {
    db.exec('ALTER TABLE activations ADD COLUMN abort_detail TEXT');
    const update = db.prepare('UPDATE activations SET abort_reason = ?, abort_detail = ? WHERE seq = ?');
    const rows = db.prepare('SELECT seq, abort_reason FROM activations WHERE abort_reason IS NOT NULL').all() as Array<{ seq: number; abort_reason: string }>;
    for (const r of rows) {
      const m = legacyAbortReason(r.abort_reason);
      if (m.reason !== r.abort_reason) update.run(m.reason, m.detail, r.seq);
    }
    const counters = db.prepare("SELECT name, key, count FROM stats WHERE key LIKE 'aborts.%'").all() as Array<{ name: string; key: string; count: number }>;
    const del = db.prepare('DELETE FROM stats WHERE name = ? AND key = ?');
    const add = db.prepare('INSERT INTO stats (name, key, count) VALUES (?, ?, ?) ON CONFLICT (name, key) DO UPDATE SET count = count + excluded.count');
    for (const c of counters) {
      const key = `aborts.${legacyAbortReason(c.key.slice('aborts.'.length)).reason}`;
      if (key === c.key) continue;
      del.run(c.name, c.key);
      add.run(c.name, key, c.count);
    }
  },
];

export function migrate(db: Database.Database): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() >= migrations.length) return;
  // Under the write lock, reading the version again: two connections opening a new data directory
  // at once (the server and its compile worker) must not both run a migration.
  db.transaction(() => {
    for (let v = version(); v < migrations.length; v++) {
      const m = migrations[v]!;
      if (typeof m === 'string') db.exec(m);
      else m(db);
      db.pragma(`user_version = ${v + 1}`);
    }
  }).immediate();
}
