// The global `crypto` (Web Crypto): randomUUID, getRandomValues of a realm Uint8Array from the host's
// generator, and subtle.digest, host-backed: the host's webcrypto hashes a copy of the bytes and the
// realm's promise resolves to a new ArrayBuffer when it is done (Host.awaitHost, as a body read).
// The rest of subtle (keys, signatures, encryption) aborts.
import { randomUUID, webcrypto } from 'node:crypto';
import type { Host } from './host.ts';
import { HASH_BYTES_PER_UNIT } from './costs.ts';
import { binaryOf, fillRandom, makeArrayBuffer } from './bytes.ts';
import { BuiltinFunction, Namespace, isDataObject, hasOwn, unsupported } from './values.ts';
import { WebValue, isWebValue, madeString } from './web-value.ts';

/** The algorithms Node's digest knows, by the names it accepts (case-insensitive). */
const DIGESTS = new Set(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']);

function digestAlgorithm(h: Host, a: unknown): string {
  // An algorithm is a name or an object with one ({ name: 'SHA-256' }); other members are ignored.
  const name = typeof a === 'string' ? a : isDataObject(h, a) && hasOwn(a, 'name') && typeof a.name === 'string' ? a.name : undefined;
  if (name === undefined) return unsupported(h, 'crypto.subtle.digest', 'an algorithm that is not a name or { name }');
  const upper = name.toUpperCase();
  // Node's digest rejects any other name with a DOMException (NotSupportedError): the host's digest
  // is given the name and rejects so (hostError makes it the realm's).
  return DIGESTS.has(upper) ? upper : name;
}

const digest = new BuiltinFunction({
  name: 'digest', length: 2, path: 'crypto.subtle.digest',
  impl(h, _t, args) {
    const algorithm = digestAlgorithm(h, args[0]);
    const data = binaryOf(args[1]);
    if (!data) return unsupported(h, 'crypto.subtle.digest', `of ${isWebValue(args[1]) ? `a ${WebValue.kind(args[1]).name}` : `a ${typeof args[1]}`}`);
    if (!h.awaitHost) return unsupported(h, 'crypto.subtle.digest', 'asynchronous host calls are not available');
    h.tick(1 + Math.floor(data.length / HASH_BYTES_PER_UNIT));
    return h.awaitHost(webcrypto.subtle.digest(algorithm, data), (v) => makeArrayBuffer(h, new Uint8Array(v as ArrayBuffer)), 'crypto.subtle.digest');
  },
});

const SubtleNs = new Namespace('crypto.subtle', { digest }, webcrypto.subtle);

export const CryptoNs = new Namespace('crypto', {
  randomUUID: new BuiltinFunction({ name: 'randomUUID', length: 0, path: 'crypto.randomUUID', impl: (h) => madeString(h, randomUUID()) }),
  getRandomValues: new BuiltinFunction({ name: 'getRandomValues', length: 1, path: 'crypto.getRandomValues', impl: (h, _t, args) => fillRandom(h, args[0]) }),
  subtle: SubtleNs,
}, globalThis.crypto);
