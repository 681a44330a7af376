// The global `crypto` (Web Crypto): randomUUID only, from the host's generator. getRandomValues
// needs typed arrays and subtle needs promises and bytes: they abort.
import { randomUUID } from 'node:crypto';
import { BuiltinFunction, Namespace } from './values.ts';
import { madeString } from './web-value.ts';

export const CryptoNs = new Namespace('crypto', {
  randomUUID: new BuiltinFunction({ name: 'randomUUID', length: 0, path: 'crypto.randomUUID', impl: (h) => madeString(h, randomUUID()) }),
}, globalThis.crypto);
