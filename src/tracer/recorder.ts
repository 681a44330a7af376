import type { Path, Skeleton } from '../trace/index.ts';

/** One path being recorded: a byte per arm, set to 1 by the instrumented code. */
export interface PathHandle {
  readonly hits: Uint8Array;
  /** The request id it was begun for, if any (see Recorder.enterContext). */
  readonly requestId?: string;
}

/** What instrumented code sees as `$__cl`: `p` is the array of the path being recorded now. */
export interface MarkerBinding {
  p: Uint8Array;
}

/** The part of loadFunction's RequestContext the recorder reads. */
export interface RequestLike {
  id: string;
  data?: unknown;
}

export interface Recorder {
  /** Pass as `bindings: { $__cl: recorder.binding }` to loadFunction. */
  readonly binding: MarkerBinding;
  /** Starts a path. With a request id, `enterContext` finds it for that request's contexts. */
  begin(requestId?: string): PathHandle;
  /** Points the binding at a path, or at the scratch array (hits dropped) with undefined. */
  enter(handle: PathHandle | undefined): void;
  /**
   * loadFunction's `enter` hook: enters the path in `ctx.data`, else the one begun for `ctx.id`
   * (caching it in `ctx.data`); undefined leaves.
   */
  enterContext(ctx: RequestLike | undefined): void;
  /**
   * Follows requests into code the host does not wrap with `enter` (timers, promise callbacks):
   * while no path is entered, hits go to the path of `current()`'s request, if any.
   */
  attach(host: { current(): RequestLike | undefined }): void;
  /** Finishes a path: the arms it hit. The handle may still be written to; later hits are dropped. */
  end(handle: PathHandle): Path;
}

/**
 * Only the arm count is needed, so a tracing container that received `{ armCount }` (not the
 * source's skeleton) can record with the same code: markers write straight into the entered
 * request's array; only code reached outside `enter` (timers, promise callbacks) takes the slow,
 * looked-up path.
 */
export function createRecorder(skeleton: Pick<Skeleton, 'armCount'>): Recorder {
  const armCount = skeleton.armCount;
  const byRequest = new Map<string, PathHandle>();
  let current: (() => RequestLike | undefined) | undefined;

  const handleOf = (ctx: RequestLike): PathHandle | undefined => {
    if (ctx.data !== undefined) return ctx.data as PathHandle;
    const h = byRequest.get(ctx.id);
    if (h) ctx.data = h;
    return h;
  };

  // Outside any entered path, writes land here: dropped, or redirected to the request the host says
  // is running (code reached without `enter`, e.g. a setTimeout callback). Never throws.
  const scratch = new Uint8Array(armCount);
  const outside = new Proxy(scratch, {
    set(target, key, value) {
      const ctx = current?.();
      const h = ctx && handleOf(ctx);
      const arm = typeof key === 'string' ? Number(key) : NaN;
      if (h && Number.isInteger(arm) && arm >= 0 && arm < armCount) h.hits[arm] = 1;
      else Reflect.set(target, key, value);
      return true;
    },
  });

  const binding: MarkerBinding = { p: outside };

  return {
    binding,
    begin(requestId) {
      const handle: PathHandle = { hits: new Uint8Array(armCount), requestId };
      if (requestId !== undefined) byRequest.set(requestId, handle);
      return handle;
    },
    enter(handle) {
      binding.p = handle ? handle.hits : outside;
    },
    enterContext(ctx) {
      binding.p = (ctx && handleOf(ctx)?.hits) || outside;
    },
    attach(host) {
      current = () => host.current();
    },
    end(handle) {
      if (handle.requestId !== undefined && byRequest.get(handle.requestId) === handle) byRequest.delete(handle.requestId);
      const arms: number[] = [];
      for (let i = 0; i < handle.hits.length; i++) if (handle.hits[i]) arms.push(i);
      return { arms };
    },
  };
}
