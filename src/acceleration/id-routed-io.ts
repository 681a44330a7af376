import type { IO } from '../api/index.ts';

/**
 * One loaded program serves several requests through one `io` (the runner's binding); this sends
 * each request's calls to the IO set for its id. A call of no known request fails as a network error
 * would, and goes nowhere.
 */
export class IdRoutedIO {
  private readonly routes = new Map<string, IO>();

  readonly io: IO = {
    request: (req, requestId) => {
      const to = requestId === undefined ? undefined : this.routes.get(requestId);
      return to ? to.request(req, requestId) : Promise.resolve(undefined);
    },
  };

  set(id: string, io: IO): void {
    this.routes.set(id, io);
  }

  delete(id: string): void {
    this.routes.delete(id);
  }
}
