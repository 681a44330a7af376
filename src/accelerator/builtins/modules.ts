// Node's pure built-in modules, as far as compiled code models them: `require('crypto')` (hashes and
// HMACs of strings, host-backed), `require('url')` (the URL classes the globals already are) and
// `require('util').format` (console.log's formatting), `require('querystring')` (querystring.ts), `require('punycode')` (punycode.ts).
// Any other member of these modules aborts (its name is Node's); any other module is not here.
import { createHash, createHmac, getHashes, randomUUID, type Hash, type Hmac } from 'node:crypto';
import * as nodeCrypto from 'node:crypto';
import * as nodeUrl from 'node:url';
import * as nodeUtil from 'node:util';
import * as nodeBuffer from 'node:buffer';
import type { Host } from './host.ts';
import { HASH_BYTES_PER_UNIT, charUnits } from './costs.ts';
import { BuiltinFunction, Namespace, str, unsupported } from './values.ts';
import { URLFn, URLSearchParamsFn } from './url.ts';
import { QuerystringModule } from './querystring.ts';
import { WebValue, madeString, type WebKind } from './web-value.ts';
import { BufferFn, makeBuffer } from './node-buffer.ts';
import { PathModule } from './path-module.ts';
import { bytesState } from './bytes.ts';
import { PunycodeModule } from './punycode.ts';

interface HashState {
  h: Hash | Hmac;
  done: boolean;
  what: string;
}

/** Algorithms every Node build has; others (and unknown ones, whose Error has no runtime value) abort. */
const ALGORITHMS: ReadonlySet<string> = new Set(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'].filter((a) => getHashes().includes(a)));
const DIGEST_ENCODINGS: ReadonlySet<string> = new Set(['hex', 'base64', 'base64url']);

function update(h: Host, s: HashState, a: unknown[], self: WebValue): WebValue {
  if (s.done) return unsupported(h, `${s.what}.update`, 'after digest (Node throws ERR_CRYPTO_HASH_FINALIZED)');
  // A Buffer or Uint8Array is hashed as its bytes (a host copy of them).
  const view = bytesState(a[0]);
  if (view) {
    h.tick(1 + Math.floor(view.length / HASH_BYTES_PER_UNIT));
    s.h.update(view.host.slice());
    return self;
  }
  if (typeof a[0] !== 'string') return unsupported(h, `${s.what}.update`, 'data that is not a string, a Buffer or a Uint8Array');
  if (a[1] !== undefined && a[1] !== 'utf8' && a[1] !== 'utf-8') return unsupported(h, `${s.what}.update`, 'an input encoding');
  const bytes = Buffer.byteLength(a[0]);
  h.tick(1 + Math.floor(bytes / HASH_BYTES_PER_UNIT));
  s.h.update(a[0], 'utf8');
  return self;
}

function digest(h: Host, s: HashState, a: unknown[]): unknown {
  if (s.done) return unsupported(h, `${s.what}.digest`, 'called twice (Node throws ERR_CRYPTO_HASH_FINALIZED)');
  const enc = a[0];
  if (enc !== undefined && (typeof enc !== 'string' || !DIGEST_ENCODINGS.has(enc))) return unsupported(h, `${s.what}.digest`, 'with an encoding other than hex, base64 or base64url');
  s.done = true;
  h.tick(16);
  // Without an encoding Node returns the digest as a Buffer.
  if (enc === undefined) return makeBuffer(h, s.h.digest());
  return madeString(h, s.h.digest(enc as 'hex'));
}

const hashKind = (name: string, real: object): WebKind<HashState> => ({
  name,
  real,
  getters: {},
  methods: { update, digest },
});
const hashK = hashKind('Hash', Object.getPrototypeOf(createHash('sha256')) as object);
const hmacK = hashKind('Hmac', Object.getPrototypeOf(createHmac('sha256', 'k')) as object);

function algorithm(h: Host, v: unknown, what: string): string {
  const a = str(h, v).toLowerCase();
  return ALGORITHMS.has(a) ? a : unsupported(h, what, `algorithm ${a.slice(0, 40)}`);
}

const CryptoModule = new Namespace('crypto', {
  createHash: new BuiltinFunction({
    name: 'createHash', length: 2, path: 'crypto.createHash',
    impl(h, _t, args) {
      if (args[1] !== undefined) return unsupported(h, 'crypto.createHash', 'options');
      return WebValue.make(h, hashK, { h: createHash(algorithm(h, args[0], 'crypto.createHash')), done: false, what: 'Hash.prototype' }, 256);
    },
  }),
  createHmac: new BuiltinFunction({
    name: 'createHmac', length: 3, path: 'crypto.createHmac',
    impl(h, _t, args) {
      const alg = algorithm(h, args[0], 'crypto.createHmac');
      const keyBytes = bytesState(args[1]);
      if ((typeof args[1] !== 'string' && !keyBytes) || args[2] !== undefined) return unsupported(h, 'crypto.createHmac', 'a key that is not a string, a Buffer or a Uint8Array, or options');
      const key = keyBytes ? keyBytes.host.slice() : (args[1] as string);
      h.tick(charUnits(key.length));
      return WebValue.make(h, hmacK, { h: createHmac(alg, key), done: false, what: 'Hmac.prototype' }, 256);
    },
  }),
  randomUUID: new BuiltinFunction({ name: 'randomUUID', length: 1, path: 'crypto.randomUUID', impl: (h, _t, args) => (args[0] === undefined ? madeString(h, randomUUID()) : unsupported(h, 'crypto.randomUUID', 'options')) }),
}, nodeCrypto);

const UrlModule = new Namespace('url', { URL: URLFn, URLSearchParams: URLSearchParamsFn }, nodeUrl);

/** `util.format` is console.log's formatting (the host's, Host.format); the rest of util aborts. */
const UtilModule = new Namespace('util', {
  format: new BuiltinFunction({
    name: 'format', length: 1, path: 'util.format',
    impl: (h, _t, args) => (h.format ? madeString(h, h.format(args)) : unsupported(h, 'util.format', 'no formatter here')),
  }),
}, nodeUtil);

const BufferModule = new Namespace('buffer', { Buffer: BufferFn }, nodeBuffer);

const MODULES: ReadonlyMap<string, Namespace> = new Map([
  ['buffer', BufferModule], ['node:buffer', BufferModule], ['path', PathModule], ['node:path', PathModule],
  ['crypto', CryptoModule], ['node:crypto', CryptoModule], ['url', UrlModule], ['node:url', UrlModule], ['util', UtilModule], ['node:util', UtilModule],
  ['querystring', QuerystringModule], ['node:querystring', QuerystringModule], ['punycode', PunycodeModule], ['node:punycode', PunycodeModule],
]);

/** `require(id)` of a built-in module the library models, or undefined. */
export function builtinModule(id: string): Namespace | undefined {
  return MODULES.get(id);
}

export const moduleKinds = [hashK, hmacK];
