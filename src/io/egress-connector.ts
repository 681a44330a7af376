import { lookup } from 'node:dns';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { buildConnector } from 'undici';
import { refusalText, type Decision, type Destination, type PlatformEndpoint, type RefusalReason } from './egress.ts';

/**
 * The egress policy where connections are made: an undici connector that resolves the host itself,
 * asks the policy about every address it got, and connects to a checked address (never by name, so
 * a second DNS answer cannot differ from the one checked: no rebinding between check and connect).
 * IP literals have no lookup and are checked as they are. Every new connection passes here; a
 * kept-alive connection was checked when it was made, to the address it still has.
 */

/** A connection the policy refused; the I/O layer turns it into a network error for the function. */
export class EgressRefusedError extends Error {
  readonly code = 'CONTAINERLESS_EGRESS_REFUSED';
  constructor(
    readonly reason: RefusalReason,
    readonly address: string,
    readonly port: number,
  ) {
    super(`outbound connection refused: ${refusalText(reason, address, port)}`);
    this.name = 'EgressRefusedError';
  }
}

/** Errors after which the next address of the host is tried (what a happy-eyeballs connect would skip). */
const NEXT_ADDRESS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EAFNOSUPPORT', 'UND_ERR_CONNECT_TIMEOUT']);

export function egressConnector(check: (dest: Destination) => Decision, base: buildConnector.connector = buildConnector({})): buildConnector.connector {
  return (opts, cb) => {
    const hostname = opts.hostname;
    const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80);
    const refused = (address: string, reason: RefusalReason) => cb(new EgressRefusedError(reason, address, port), null);
    if (isIP(hostname) !== 0) {
      const d = check({ hostname, address: hostname, port });
      if (d.allowed) base(opts, cb);
      else process.nextTick(refused, hostname, d.reason);
      return;
    }
    lookup(hostname, { all: true }, (err, addresses) => {
      if (err) return cb(err, null);
      if (addresses.length === 0) return cb(Object.assign(new Error(`getaddrinfo: no address for ${hostname}`), { code: 'ENOTFOUND' }), null);
      // Every address is checked, not only the first: a name that mixes a public and a loopback address is refused.
      for (const a of addresses) {
        const d = check({ hostname, address: a.address, port });
        if (!d.allowed) return refused(a.address, d.reason);
      }
      // hostname → the checked address; `host` keeps the name, from which undici takes the TLS servername.
      const attempt = (i: number) =>
        base({ ...opts, hostname: addresses[i]!.address }, (...args) => {
          const e = args[0] as (Error & { code?: string }) | null;
          if (e && i + 1 < addresses.length && NEXT_ADDRESS.has(e.code ?? '')) attempt(i + 1);
          else cb(...args);
        });
      attempt(0);
    });
  };
}

const WILDCARD = new Set(['0.0.0.0', '::', '::0', '0:0:0:0:0:0:0:0']);

/**
 * The platform's endpoint as the policy needs it. Listening on 0.0.0.0 or ::, every local
 * interface address reaches it: those are read again at most every few seconds (interfaces come
 * and go), only when a destination's port is the platform's.
 */
export function listeningEndpoint(address: string, port: number, refreshMs = 5000): () => PlatformEndpoint {
  if (!WILDCARD.has(address)) {
    const fixed: PlatformEndpoint = { port, addresses: [address] };
    return () => fixed;
  }
  let cached: PlatformEndpoint | undefined;
  let at = 0;
  return () => {
    const now = Date.now();
    if (!cached || now - at > refreshMs) {
      const addresses = [address];
      for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) addresses.push(i.address);
      cached = { port, addresses };
      at = now;
    }
    return cached;
  };
}
