import type { IO } from '../api/index.ts';

/**
 * One loaded program serves several requests through one `io` (the runner's binding); this sends
 * each request's calls to the IO set for its id (ids that start with `prefix`), and the calls of
 * its top level (any other id, or none: the runtime names it `init`) to `topLevel`. A call of a
 * request that is no longer routed, or of the top level without `topLevel`, fails as a network
 * error would, and goes nowhere.
 */
export class IdRoutedIO {
  private readonly routes = new Map<string, IO>();

  constructor(
    private readonly prefix: string,
    private readonly topLevel?: IO,
  ) {}

  readonly io: IO = {
    request: (req, requestId) => {
      if (requestId === undefined || !requestId.startsWith(this.prefix)) return this.topLevel ? this.topLevel.request(req, requestId) : Promise.resolve(undefined);
      const to = this.routes.get(requestId);
      return to ? to.request(req, requestId) : Promise.resolve(undefined);
    },
  };

  /** Routes the calls of request `id` (which must start with the prefix) to `io`. */
  set(id: string, io: IO): void {
    if (!id.startsWith(this.prefix)) throw new Error(`request id ${id} does not start with ${this.prefix}`);
    this.routes.set(id, io);
  }

  delete(id: string): void {
    this.routes.delete(id);
  }
}
