/**
 * io: the one I/O layer every outbound call of every mode goes through (DESIGN "I/O: one layer for
 * both modes"): IOLayer performs calls with undici under the egress policy (egress.ts, applied where
 * connections are made: egress-connector.ts), counts and logs them; replay.ts records an accelerated
 * attempt's calls and serves them to its re-execution. Depends on api and metrics.
 */
export { IOLayer, IO_DEFAULTS, type IOLayerOptions, type IOPolicy, type CallContext } from './io.ts';
export { EgressPolicy, EgressConfigError, type RefusalReason } from './egress.ts';
export { CallRecorder, replayingIO, type LoggedCall, type ReplayStats } from './replay.ts';
export { recordingIO, recordedOnlyIO, type RecordedCall, type ReplayIO } from './record.ts';
