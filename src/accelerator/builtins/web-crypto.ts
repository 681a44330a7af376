// The global `crypto` (Web Crypto): randomUUID, and getRandomValues of a realm Uint8Array, from the
// host's generator. subtle needs ArrayBuffer: it aborts.
import { randomUUID } from 'node:crypto';
import { fillRandom } from './bytes.ts';
import { BuiltinFunction, Namespace } from './values.ts';
import { madeString } from './web-value.ts';

export const CryptoNs = new Namespace('crypto', {
  randomUUID: new BuiltinFunction({ name: 'randomUUID', length: 0, path: 'crypto.randomUUID', impl: (h) => madeString(h, randomUUID()) }),
  getRandomValues: new BuiltinFunction({ name: 'getRandomValues', length: 1, path: 'crypto.getRandomValues', impl: (h, _t, args) => fillRandom(h, args[0]) }),
}, globalThis.crypto);
