import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './schema.ts';
import type { ActivationRecord, FunctionRecord, ModePin, StatsMap, VersionInfo } from './types.ts';

export interface StoreOptions {
  /** Activations kept per function (oldest dropped first). */
  activationsPerFunction?: number;
  /** Old versions kept per function besides the current one. */
  versionsKept?: number;
  /** Activations are written in batches this often, so that logging a request never blocks it. */
  flushIntervalMs?: number;
}

interface FunctionRow {
  name: string;
  version: number;
  mode_pin: string;
  created_at: number;
  updated_at: number;
  source: string;
  config_json: string;
}

interface ActivationRow {
  id: string;
  name: string;
  version: number;
  start: number;
  duration_ms: number;
  mode: string;
  status: number;
  reexecuted: number;
  abort_reason: string | null;
  abort_detail: string | null;
  logs_json: string;
}

const FILE = 'containerless.db';
/**
 * How long a write waits for another connection's write lock (the compile worker's trace and
 * compiled-code writes are the other writer). Writes hold it for milliseconds; this bounds a stuck one.
 */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Function definitions, traces and compiled code are written synchronously (a 200/201 means
 * committed; with WAL and synchronous=FULL a `kill -9` or power loss keeps them). Activations and
 * counters are the per-request part: they are buffered in memory for `flushIntervalMs` and written
 * in one transaction without an fsync of their own (the next synchronous write, or the WAL
 * checkpoint, syncs them). A `kill -9` loses the unflushed buffer (at most one interval of
 * activations and counter increments); a power loss may also lose batches written since the last
 * synchronous write. Reads of activations and counters add the buffer to what is stored, so the
 * API never shows a stale view (and a read never writes, so it never waits for the write lock), and
 * `close` flushes, so a clean shutdown loses nothing.
 *
 * Another connection writes the same file (the compile worker stores trace trees and compiled code).
 * Every transaction here that writes is `BEGIN IMMEDIATE`: it takes the write lock before its first
 * read, so it waits (busy timeout) for the other writer. A deferred transaction that read first and
 * then wrote got SQLITE_BUSY at once, because SQLite does not wait when a read transaction upgrades
 * (that was the "database is locked" of deploys under load). The periodic flush does not wait at all.
 */
export class Store {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly keepActivations: number;
  private readonly keepVersions: number;
  /** Per function, oldest first; never more than 2 × keepActivations (older ones would be trimmed anyway). */
  private pendingActivations = new Map<string, ActivationRecord[]>();
  private pendingStats = new Map<string, Map<string, number>>();
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  private flushStatements?: { names: Database.Statement; count: Database.Statement; insert: Database.Statement; upsert: Database.Statement; trim: Database.Statement };
  /**
   * Stored activations per function, as this connection's own writes left them (read once; only this
   * connection writes activations). A function is trimmed once it is a quarter over the retention,
   * not at every flush: a trim rewrites pages of old rows, and trimming one row per function per
   * flush was most of the WAL's growth, so of the checkpoints that stall the event loop.
   */
  private storedActivations = new Map<string, number>();
  private readonly trimAbove: number;

  static open(dataDir: string, opts: StoreOptions = {}): Store {
    mkdirSync(dataDir, { recursive: true });
    return new Store(join(dataDir, FILE), opts);
  }

  private constructor(path: string, opts: StoreOptions) {
    this.path = path;
    this.db = new Database(path);
    // First: every later statement, the journal mode switch included, may meet another connection's lock.
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    migrate(this.db);
    this.keepActivations = opts.activationsPerFunction ?? 100;
    this.trimAbove = this.keepActivations + Math.ceil(this.keepActivations / 4);
    this.keepVersions = opts.versionsKept ?? 10;
    this.timer = setInterval(() => this.tryFlush(), opts.flushIntervalMs ?? 200);
    this.timer.unref();
  }

  /**
   * Creates or replaces a function; the new version is current once this returns. With
   * `accelerationOf` (a config change: the code is the same) the new version starts with that
   * version's compiled code and its trace tree (`traceJson` when given: the live one, fresher than
   * the stored one).
   */
  putFunction(
    name: string,
    source: string,
    config: Record<string, unknown>,
    opts: { accelerationOf?: number; traceJson?: string } = {},
  ): { record: FunctionRecord; created: boolean } {
    const now = Date.now();
    return this.db.transaction(() => {
      const prev = this.db.prepare('SELECT version, created_at, mode_pin FROM functions WHERE name = ?').get(name) as
        | { version: number; created_at: number; mode_pin: string }
        | undefined;
      // Versions keep increasing across delete and re-create only while old rows exist; that is fine:
      // a version number identifies a source within a function's current life.
      const maxRow = this.db.prepare('SELECT MAX(version) AS v FROM versions WHERE name = ?').get(name) as { v: number | null };
      const version = Math.max(prev?.version ?? 0, maxRow.v ?? 0) + 1;
      this.db
        .prepare('INSERT INTO versions (name, version, source, config_json, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(name, version, source, JSON.stringify(config), now);
      if (opts.accelerationOf !== undefined) {
        this.db
          .prepare(
            `UPDATE versions SET (trace_json, trace_updated_at, compiled_code, compiled_at) =
               (SELECT coalesce(?, trace_json), trace_updated_at, compiled_code, compiled_at FROM versions WHERE name = ? AND version = ?)
             WHERE name = ? AND version = ?`,
          )
          .run(opts.traceJson ?? null, name, opts.accelerationOf, name, version);
      }
      if (prev) this.db.prepare('UPDATE functions SET version = ?, updated_at = ? WHERE name = ?').run(version, now, name);
      else this.db.prepare('INSERT INTO functions (name, version, created_at, updated_at) VALUES (?, ?, ?, ?)').run(name, version, now, now);
      this.db
        .prepare('DELETE FROM versions WHERE name = ? AND version <= ?')
        .run(name, version - 1 - this.keepVersions);
      const record: FunctionRecord = {
        name,
        version,
        source,
        config,
        modePin: (prev?.mode_pin as ModePin | undefined) ?? 'auto',
        createdAt: prev?.created_at ?? now,
        updatedAt: now,
      };
      return { record, created: !prev };
    }).immediate();
  }

  getFunction(name: string): FunctionRecord | undefined {
    const row = this.db
      .prepare(
        `SELECT f.name, f.version, f.mode_pin, f.created_at, f.updated_at, v.source, v.config_json
         FROM functions f JOIN versions v ON v.name = f.name AND v.version = f.version WHERE f.name = ?`,
      )
      .get(name) as FunctionRow | undefined;
    return row && toRecord(row);
  }

  /** One stored version of a function as a record (the function's pin and times), or undefined. */
  getVersion(name: string, version: number): FunctionRecord | undefined {
    const row = this.db
      .prepare(
        `SELECT f.name, v.version, f.mode_pin, f.created_at, f.updated_at, v.source, v.config_json
         FROM functions f JOIN versions v ON v.name = f.name WHERE f.name = ? AND v.version = ?`,
      )
      .get(name, version) as FunctionRow | undefined;
    return row && toRecord(row);
  }

  /**
   * Every stored version of a function, newest first, without sources (their size only): what
   * `GET …/versions` shows. Empty when there is no such function.
   */
  listVersions(name: string): VersionInfo[] {
    const rows = this.db
      .prepare(
        `SELECT v.version, v.created_at, v.config_json, length(CAST(v.source AS BLOB)) AS source_bytes,
                v.trace_json IS NOT NULL AS has_trace, v.compiled_code IS NOT NULL AS has_compiled, f.version AS current
         FROM versions v JOIN functions f ON f.name = v.name WHERE v.name = ? ORDER BY v.version DESC`,
      )
      .all(name) as Array<{ version: number; created_at: number; config_json: string; source_bytes: number; has_trace: number; has_compiled: number; current: number }>;
    return rows.map((r) => ({
      version: r.version,
      createdAt: r.created_at,
      current: r.version === r.current,
      config: JSON.parse(r.config_json) as Record<string, unknown>,
      sourceBytes: r.source_bytes,
      hasTrace: r.has_trace === 1,
      hasCompiled: r.has_compiled === 1,
    }));
  }

  /**
   * Makes a stored version current again (rollback, or forward); nothing is deleted, and the next
   * deploy still gets a number above every stored one. Undefined when there is no such version.
   */
  setCurrentVersion(name: string, version: number): FunctionRecord | undefined {
    return this.db.transaction(() => {
      const now = Date.now();
      const n = this.db
        .prepare('UPDATE functions SET version = ?, updated_at = ? WHERE name = ? AND EXISTS (SELECT 1 FROM versions WHERE name = ? AND version = ?)')
        .run(version, now, name, name, version).changes;
      return n > 0 ? this.getFunction(name) : undefined;
    }).immediate();
  }

  listFunctions(): FunctionRecord[] {
    const rows = this.db
      .prepare(
        `SELECT f.name, f.version, f.mode_pin, f.created_at, f.updated_at, v.source, v.config_json
         FROM functions f JOIN versions v ON v.name = f.name AND v.version = f.version ORDER BY f.name`,
      )
      .all() as FunctionRow[];
    return rows.map(toRecord);
  }

  /** Removes the function with every version, trace, compiled code, activation and counter. */
  deleteFunction(name: string): boolean {
    return this.db.transaction(() => {
      const n = this.db.prepare('DELETE FROM functions WHERE name = ?').run(name).changes;
      for (const table of ['versions', 'activations', 'stats']) this.db.prepare(`DELETE FROM ${table} WHERE name = ?`).run(name);
      // Its buffered activations and counters go with it (no need to write them first).
      this.pendingActivations.delete(name);
      this.pendingStats.delete(name);
      this.storedActivations.delete(name);
      return n > 0;
    }).immediate();
  }

  setModePin(name: string, pin: ModePin): boolean {
    return this.db.prepare('UPDATE functions SET mode_pin = ?, updated_at = ? WHERE name = ?').run(pin, Date.now(), name).changes > 0;
  }

  getTrace(name: string, version: number): string | undefined {
    const row = this.db.prepare('SELECT trace_json FROM versions WHERE name = ? AND version = ?').get(name, version) as
      | { trace_json: string | null }
      | undefined;
    return row?.trace_json ?? undefined;
  }

  setTrace(name: string, version: number, traceJson: string): void {
    this.db.prepare('UPDATE versions SET trace_json = ?, trace_updated_at = ? WHERE name = ? AND version = ?').run(traceJson, Date.now(), name, version);
  }

  getCompiled(name: string, version: number): string | undefined {
    const row = this.db.prepare('SELECT compiled_code FROM versions WHERE name = ? AND version = ?').get(name, version) as
      | { compiled_code: string | null }
      | undefined;
    return row?.compiled_code ?? undefined;
  }

  setCompiled(name: string, version: number, code: string | null): void {
    this.db.prepare('UPDATE versions SET compiled_code = ?, compiled_at = ? WHERE name = ? AND version = ?').run(code, Date.now(), name, version);
  }

  /** Buffered; see the class comment. */
  recordActivation(a: ActivationRecord): void {
    if (this.closed) return;
    let list = this.pendingActivations.get(a.name);
    if (!list) this.pendingActivations.set(a.name, (list = []));
    list.push(a);
    // Between flushes a busy function would buffer thousands that the trim deletes right away.
    if (list.length >= 2 * this.keepActivations) list.splice(0, list.length - this.keepActivations);
  }

  /** Adds to a function's counters (buffered with the activations). */
  count(name: string, key: string, n = 1): void {
    if (this.closed) return;
    let m = this.pendingStats.get(name);
    if (!m) this.pendingStats.set(name, (m = new Map()));
    m.set(key, (m.get(key) ?? 0) + n);
  }

  /**
   * Newest first, at most `limit` and the retention: the buffered ones (newer than any stored one)
   * and then the stored ones. A read writes nothing, so it never waits for the write lock.
   */
  listActivations(name: string, limit = 100): ActivationRecord[] {
    const max = Math.min(limit, this.keepActivations);
    const buffered = (this.pendingActivations.get(name) ?? []).slice(-max).reverse();
    if (buffered.length >= max) return buffered;
    const rows = this.db
      .prepare('SELECT * FROM activations WHERE name = ? ORDER BY seq DESC LIMIT ?')
      .all(name, max - buffered.length) as ActivationRow[];
    return buffered.concat(rows.map((r) => {
      const a: ActivationRecord = {
        id: r.id,
        name: r.name,
        version: r.version,
        start: r.start,
        duration_ms: r.duration_ms,
        mode: r.mode,
        status: r.status,
        reexecuted: r.reexecuted === 1,
        logs: JSON.parse(r.logs_json) as string[],
      };
      if (r.abort_reason !== null) a.abort_reason = r.abort_reason;
      if (r.abort_detail !== null) a.abort_detail = r.abort_detail;
      return a;
    }));
  }

  /** The stored counters plus the buffered increments (a read writes nothing). */
  getStats(name: string): StatsMap {
    const out: StatsMap = {};
    for (const r of this.db.prepare('SELECT key, count FROM stats WHERE name = ?').all(name) as Array<{ key: string; count: number }>) {
      out[r.key] = r.count;
    }
    for (const [key, n] of this.pendingStats.get(name) ?? []) out[key] = (out[key] ?? 0) + n;
    return out;
  }

  /**
   * Writes buffered activations and counters in one transaction, and trims the old activations of a
   * function past a quarter over the retention (reads never show more than the retention). Waits
   * for another connection's write lock like every API write (a read must show what was served).
   */
  flush(): void {
    this.writeBatch(true);
  }

  /**
   * The periodic flush: the same write, but if another connection (the compile worker storing a
   * trace or compiled code) holds the write lock it does not wait on the event loop: the batch stays
   * buffered, in order, for the next interval. True when nothing is left buffered.
   */
  tryFlush(): boolean {
    return this.writeBatch(false);
  }

  private writeBatch(wait: boolean): boolean {
    if (this.closed || (this.pendingActivations.size === 0 && this.pendingStats.size === 0)) return true;
    const acts = this.pendingActivations;
    const stats = this.pendingStats;
    this.pendingActivations = new Map();
    this.pendingStats = new Map();
    const { names, count, insert, upsert, trim } = (this.flushStatements ??= {
      names: this.db.prepare('SELECT name FROM functions').pluck(),
      count: this.db.prepare('SELECT COUNT(*) FROM activations WHERE name = ?').pluck(),
      insert: this.db.prepare(
        `INSERT INTO activations (id, name, version, start, duration_ms, mode, status, reexecuted, abort_reason, abort_detail, logs_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      upsert: this.db.prepare('INSERT INTO stats (name, key, count) VALUES (?, ?, ?) ON CONFLICT (name, key) DO UPDATE SET count = count + excluded.count'),
      trim: this.db.prepare(
        `DELETE FROM activations WHERE name = ? AND seq <= (
           SELECT seq FROM activations WHERE name = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
      ),
    });
    // No fsync for these (see the class comment); the pragmas are per connection, so restore them for
    // the synchronous writes even if the transaction throws. Through `pragma()` each time: SQLite
    // applies these pragmas when the statement is prepared, so a prepared one run again does nothing.
    this.db.pragma('synchronous = NORMAL');
    if (!wait) this.db.pragma('busy_timeout = 0');
    // Applied once the transaction commits: a rolled-back batch leaves the stored counts as they were.
    const stored = new Map<string, number>();
    try {
      this.db
        .transaction(() => {
          const known = new Set(names.all() as string[]);
          for (const [name, list] of acts) {
            if (!known.has(name)) continue; // deleted while the request ran
            const from = Math.max(0, list.length - this.keepActivations);
            const inserted = list.length - from;
            for (let i = from; i < list.length; i++) {
              const a = list[i]!;
              const logs = a.logs.length === 0 ? '[]' : JSON.stringify(a.logs);
              insert.run(a.id, a.name, a.version, a.start, a.duration_ms, a.mode, a.status, a.reexecuted ? 1 : 0, a.abort_reason ?? null, a.abort_detail ?? null, logs);
            }
            const was = this.storedActivations.get(name);
            let n = was === undefined ? (count.get(name) as number) : was + inserted;
            if (n > this.trimAbove) {
              trim.run(name, name, this.keepActivations);
              n = this.keepActivations;
            }
            stored.set(name, n);
          }
          for (const [name, m] of stats) {
            if (!known.has(name)) continue;
            for (const [key, n] of m) upsert.run(name, key, n);
          }
        })
        .immediate();
      for (const [name, n] of stored) this.storedActivations.set(name, n);
      return true;
    } catch (err) {
      this.requeue(acts, stats);
      // A timer has no one to tell: the batch is kept, and the next read's flush reports a lasting error.
      if (wait) throw err;
      return false;
    } finally {
      if (!wait) this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      this.db.pragma('synchronous = FULL');
    }
  }

  /** Puts a batch that was not written back in front of what was buffered since. */
  private requeue(acts: Map<string, ActivationRecord[]>, stats: Map<string, Map<string, number>>): void {
    for (const [name, older] of acts) {
      const newer = this.pendingActivations.get(name) ?? [];
      const all = older.concat(newer);
      this.pendingActivations.set(name, all.length > this.keepActivations ? all.slice(all.length - this.keepActivations) : all);
    }
    for (const [name, older] of stats) {
      const m = this.pendingStats.get(name);
      if (!m) this.pendingStats.set(name, older);
      else for (const [key, n] of older) m.set(key, (m.get(key) ?? 0) + n);
    }
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    clearInterval(this.timer);
    this.db.close();
  }
}

function toRecord(row: FunctionRow): FunctionRecord {
  return {
    name: row.name,
    version: row.version,
    source: row.source,
    config: JSON.parse(row.config_json) as Record<string, unknown>,
    modePin: row.mode_pin as ModePin,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
