/**
 * The functions bench/accel-compare.ts measures and the requests it sends them. Each function gets
 * a few fixed request variants (cycled by autocannon): the same ones train the accelerated
 * configuration, so the measured requests stay on traced paths, as a deployed function's steady
 * traffic would. Bodies are the corpus's own request shapes (corpus/index.ts).
 */
export interface Variant {
  method: 'GET' | 'POST';
  /** Path and query after `/fn/NAME`. */
  path: string;
  /** JSON text; sent with content-type application/json. */
  body?: string;
}

export interface BenchFunction {
  name: string;
  kind: 'io' | 'cpu';
  variants: Variant[];
}

const post = (path: string, body: unknown): Variant => ({ method: 'POST', path, body: JSON.stringify(body) });
const get = (path: string): Variant => ({ method: 'GET', path });

/** I/O-bound first (each calls the loopback mock backend), then CPU-bound. */
export const BENCH_FUNCTIONS: BenchFunction[] = [
  { name: 'login', kind: 'io', variants: [post('/login', { username: 'abc', password: 'abc-pw' }), post('/login', { username: 'abc', password: 'nope' })] },
  { name: 'upload', kind: 'io', variants: [post('/?name=a.txt', { a: 1, b: [1, 2, 3] }), post('/?name=b.json', ['x', 'y'])] },
  { name: 'status', kind: 'io', variants: [post('/', { service: 'db' }), post('/', { service: 7 })] },
  { name: 'banking', kind: 'io', variants: [post('/balance', { account: 'abc' }), post('/deposit', { account: 'abc', amount: 50 })] },
  { name: 'autocomplete', kind: 'cpu', variants: [get('/?q=ba&limit=10'), get('/?q=k&limit=20')] },
  { name: 'maze', kind: 'cpu', variants: [get('/?r0=0&c0=0&r1=39&c1=39'), get('/?r0=5&c0=3&r1=30&c1=20')] },
];
