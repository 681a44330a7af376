import type { RequestContext } from '../../api/index.ts';

/**
 * The `$__cl` binding of instrumented code (docs/pipeline-interfaces.md, "Instrumentation"): code writes
 * `$__cl.p[arm] = 1`, and `p` is pointed at the running request's own array by loadFunction's `enter`
 * hook, so concurrent requests record separate paths without any lookup on the hot path.
 */
export interface ArmRecorder {
  /** Passed as loadFunction's `bindings.$__cl`. */
  readonly binding: { p: Uint8Array };
  /** loadFunction's `enter` hook. */
  enter(ctx: RequestContext | undefined): void;
  /** Arms hit by the top-level run; call once after loading. */
  takeInit(): number[];
  /** Arms hit by request `id`; forgets the request. */
  take(id: string): number[];
}

export function createArmRecorder(armCount: number): ArmRecorder {
  const init = new Uint8Array(armCount);
  // Code that runs for no request (a timer set at top level) writes here and is not reported.
  const stray = new Uint8Array(armCount);
  const perRequest = new Map<string, Uint8Array>();
  const binding: { p: Uint8Array } = { p: init };
  return {
    binding,
    enter(ctx) {
      // A callback that runs after its request answered is not part of the reported path.
      if (!ctx || ctx.done) {
        binding.p = stray;
        return;
      }
      let arr = perRequest.get(ctx.id);
      if (!arr) {
        arr = new Uint8Array(armCount);
        perRequest.set(ctx.id, arr);
      }
      binding.p = arr;
    },
    takeInit() {
      binding.p = stray;
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
