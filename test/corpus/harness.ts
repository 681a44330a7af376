import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { corpus, type CorpusEntry } from '../../corpus/index.ts';
import { BACKEND_HEADER, toRawRequest, type RequestSpec } from '../../src/cli/trace-run/request-spec.ts';
import type { RawRequest } from '../../src/api/index.ts';

export { corpus, type CorpusEntry };

const corpusDir = fileURLToPath(new URL('../../corpus/', import.meta.url));

export function corpusSource(name: string): string {
  return readFileSync(`${corpusDir}${name}.js`, 'utf8');
}

/** Deterministic requests for a function: the same seed always gives the same list. */
export function sampleRequests(entry: CorpusEntry, count: number, seed: number): RequestSpec[] {
  return fc.sample(entry.requests, { numRuns: count, seed });
}

/** A seed per function name, so every function gets different but reproducible inputs. */
export function seedFor(name: string, salt = 0): number {
  let h = 7 + salt;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return h;
}

/** RawRequest for the harness: backend functions get the mock backend's URL in `x-backend`. */
export function rawFor(spec: RequestSpec, backendUrl: string): RawRequest {
  return toRawRequest(spec, { [BACKEND_HEADER]: backendUrl });
}
