import type { ActivationLog } from './activation-log.ts';

/**
 * One request, from the edge down (in the spirit of workerd's IoContext): made once by the dispatcher
 * when the request arrives and passed to the function version that serves it, its pools and its
 * acceleration. Its id names the request in containers, outbound calls and logs; its activation log
 * collects the lines of every mode (capped there).
 */
export interface RequestContext {
  readonly id: string;
  readonly function: string;
  /** When it arrived: epoch ms (the activation's `start`) and performance.now() (its duration). */
  readonly start: number;
  readonly t0: number;
  /** start + the function's timeout_ms: the moment it is over in any mode. */
  readonly deadline: number;
  readonly log: ActivationLog;
}
