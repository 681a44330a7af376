import type { RequestContext } from '../../api/index.ts';

/**
 * The `$__cl` binding of instrumented code (docs/pipeline-interfaces.md, "Instrumentation"): code writes
 * `$__cl.p[arm] = 1`. Here `p` is a getter that returns the running request's own array, found through
 * the host's AsyncLocalStorage. loadFunction's `enter` hook alone would miss code a request runs from
 * its own timers and promise callbacks (enter wraps only the handler and containerless callbacks), and
 * with many requests in flight those arms would land in the wrong path.
 */
export interface ArmRecorder {
  /** Passed as loadFunction's `bindings.$__cl`. */
  readonly binding: { readonly p: Uint8Array };
  /** Arms hit by the top-level run; call once after loading (later writes go to requests). */
  takeInit(): number[];
  /** Arms hit by request `id`; forgets the request, whose later code is no longer recorded. */
  take(id: string): number[];
}

export function createArmRecorder(armCount: number, current: () => RequestContext | undefined): ArmRecorder {
  const init = new Uint8Array(armCount);
  // Code that runs for no request (a timer set at top level, a callback after its request was
  // reported) writes here and is not reported.
  const stray = new Uint8Array(armCount);
  const perRequest = new Map<string, Uint8Array>();
  let loading = true;
  const binding = {
    get p(): Uint8Array {
      if (loading) return init;
      const ctx = current();
      if (!ctx) return stray;
      let arr = perRequest.get(ctx.id);
      if (!arr) {
        if (ctx.done) return stray;
        arr = new Uint8Array(armCount);
        perRequest.set(ctx.id, arr);
      }
      return arr;
    },
  };
  return {
    binding,
    takeInit() {
      loading = false;
      return hitArms(init);
    },
    take(id) {
      const arr = perRequest.get(id);
      perRequest.delete(id);
      return arr ? hitArms(arr) : [];
    },
  };
}

function hitArms(arr: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < arr.length; i++) if (arr[i] === 1) out.push(i);
  return out;
}
