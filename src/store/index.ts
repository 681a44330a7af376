/**
 * store: the platform's durable state in one embedded SQLite database (better-sqlite3, WAL) in the
 * data directory: functions and their versions (source, config; any stored one can be made current
 * again), the mode pin, per-function request counters, recent activations with their logs (bounded
 * per function), and per-version columns for the trace tree and compiled code that the acceleration
 * stages fill. Depends on nothing else here.
 */
export { Store, type StoreOptions } from './store.ts';
export type { FunctionRecord, ActivationRecord, ModePin, StatsMap, VersionInfo } from './types.ts';
