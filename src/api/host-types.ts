/** One request in flight inside a loaded function. */
export interface RequestContext {
  id: string;
  done: boolean;
  finish(res: import('./types.ts').FnResponse): void;
  /** Opaque slot for the tracer (its per-request path). */
  data?: unknown;
}
