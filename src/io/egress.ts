import { BlockList, isIP } from 'node:net';

/**
 * The outbound (egress) policy of the I/O layer (CONTRACT §3, docs/security.md, "Outbound calls"): which
 * destinations a function's outbound calls may connect to. Pure logic: the connector in
 * egress-connector.ts asks `decide` for every address it is about to connect to, after DNS.
 *
 * By default every public address is allowed and these are refused: loopback, private (RFC 1918,
 * CGNAT, unique-local), link-local (cloud metadata endpoints), unspecified, multicast, broadcast and
 * reserved ranges, the same in their IPv6 spellings that carry an IPv4 address (mapped, compatible,
 * SIIT, NAT64, 6to4), and the platform's own listening address at its port. The operator opens
 * ranges with allow entries; the platform's own address:port only opens to an entry naming exactly
 * that host:port.
 */

/** Why a destination was refused: a small fixed set (a metric label). */
export type RefusalReason = 'scheme' | 'platform' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'multicast' | 'reserved';

export const REFUSAL_REASONS: readonly RefusalReason[] = ['scheme', 'platform', 'loopback', 'private', 'link-local', 'unspecified', 'multicast', 'reserved'];

const REASON_TEXT: Record<RefusalReason, string> = {
  scheme: 'only http: and https: URLs are allowed',
  platform: "the platform's own address",
  loopback: 'loopback address',
  private: 'private address',
  'link-local': 'link-local address',
  unspecified: 'unspecified address',
  multicast: 'multicast or broadcast address',
  reserved: 'reserved address',
};

export type Decision = { allowed: true } | { allowed: false; reason: RefusalReason };

const ALLOWED: Decision = Object.freeze({ allowed: true });

/** One entry of an allow list: a host name, or an address range (an IP literal is a one-address range), with an optional port. */
export interface AllowEntry {
  /** As written (trimmed): what errors and logs show. */
  readonly text: string;
  /** A host name, lower-case, without a trailing dot: matches the name in the URL, whatever it resolves to. */
  readonly name?: string;
  readonly net?: { readonly family: 4 | 6; readonly address: string; readonly prefix: number; readonly list: BlockList };
  readonly port?: number;
}

/** Where a connection is about to go: the URL's host name, the address connected to, the port. */
export interface Destination {
  hostname: string;
  address: string;
  port: number;
}

/** The platform's own listening endpoint: `addresses` are its listening address and, for 0.0.0.0 or ::, every local interface address. */
export interface PlatformEndpoint {
  port: number;
  addresses: readonly string[];
}

export class EgressConfigError extends Error {}

/** A bad allow entry, named in the message. */
function bad(text: string, why: string): EgressConfigError {
  return new EgressConfigError(`bad outbound entry ${JSON.stringify(text)}: ${why}`);
}

function parsePort(text: string, port: string): number {
  if (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) throw bad(text, `port ${JSON.stringify(port)} is not 1-65535`);
  return Number(port);
}

function netEntry(text: string, address: string, prefix: number, port?: number): AllowEntry {
  const family = isIP(address) as 4 | 6;
  const list = new BlockList();
  list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  return port === undefined ? { text, net: { family, address, prefix, list } } : { text, net: { family, address, prefix, list }, port };
}

/** A host as the URL parser spells it (so that `127.1`, `0x7f.1` or `EXAMPLE.com.` mean what they mean in a URL). */
function urlHost(text: string, host: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(host)) throw bad(text, 'not a host name, IP address, host:port or CIDR');
  let hostname: string;
  try {
    hostname = new URL(`http://${host}/`).hostname;
  } catch {
    throw bad(text, 'not a valid host name');
  }
  return hostname;
}

/**
 * Parses one entry: `host`, `host:port`, an IPv4 or IPv6 address, `[v6]:port`, or a CIDR
 * (`10.0.0.0/8`, `fd00::/8`). Throws EgressConfigError naming the entry.
 */
export function parseAllowEntry(input: string): AllowEntry {
  const text = input.trim();
  if (text === '') throw bad(input, 'empty');
  if (text.length > 300) throw bad(text.slice(0, 40) + '…', 'longer than 300 characters');
  if (text.includes('://')) throw bad(text, 'write a host, host:port or CIDR, not a URL');
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const address = text.slice(0, slash);
    const bits = text.slice(slash + 1);
    const family = isIP(address);
    if (family === 0) throw bad(text, 'a CIDR needs an IPv4 or IPv6 address before the "/"');
    const max = family === 4 ? 32 : 128;
    if (!/^[0-9]{1,3}$/.test(bits) || Number(bits) > max) throw bad(text, `prefix length must be 0-${max}`);
    return netEntry(text, address, Number(bits));
  }
  if (text.startsWith('[')) {
    const m = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
    if (!m || isIP(m[1]!) !== 6) throw bad(text, 'brackets must hold an IPv6 address, as in [::1]:8080');
    return netEntry(text, m[1]!, 128, m[2] === undefined ? undefined : parsePort(text, m[2]));
  }
  if (isIP(text) === 6) return netEntry(text, text, 128);
  const colon = text.lastIndexOf(':');
  if (colon >= 0 && text.indexOf(':') !== colon) throw bad(text, 'an IPv6 address with a port is written [v6]:port');
  const host = colon >= 0 ? text.slice(0, colon) : text;
  const port = colon >= 0 ? parsePort(text, text.slice(colon + 1)) : undefined;
  const hostname = urlHost(text, host);
  if (isIP(hostname) === 4) return netEntry(text, hostname, 32, port);
  const name = stripDot(hostname);
  if (name === '') throw bad(text, 'not a host name');
  return port === undefined ? { text, name } : { text, name, port };
}

/** A comma-separated list (the CLI flags and variables) or a list of entries; empty items are skipped. */
export function parseAllowList(input: string | readonly string[] | undefined): AllowEntry[] {
  if (input === undefined) return [];
  const items = typeof input === 'string' ? input.split(',') : input;
  return items.filter((s) => s.trim() !== '').map(parseAllowEntry);
}

function stripDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** True when every destination `e` allows is allowed by `o` (a function's `config.outbound` entry within the operator's). */
export function entryCovers(o: AllowEntry, e: AllowEntry): boolean {
  if (o.port !== undefined && e.port !== o.port) return false;
  if (o.name !== undefined) return e.name === o.name;
  if (!o.net || !e.net) return false;
  return e.net.family === o.net.family && e.net.prefix >= o.net.prefix && o.net.list.check(e.net.address, e.net.family === 4 ? 'ipv4' : 'ipv6');
}

// --- addresses -------------------------------------------------------------------------------------

/** An address's 16 bytes (IPv4 as ::ffff:a.b.c.d) and the IPv4 address it carries, if any. */
interface Parsed {
  bytes: Uint8Array;
  v4?: string;
}

function parseV6(s: string): Uint8Array {
  const groups = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (g.includes('.')) {
        const b = g.split('.').map(Number);
        out.push((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!);
      } else out.push(parseInt(g, 16));
    }
    return out;
  };
  const dbl = s.indexOf('::');
  const head = groups(dbl >= 0 ? s.slice(0, dbl) : s);
  const tail = dbl >= 0 ? groups(s.slice(dbl + 2)) : [];
  const all = dbl >= 0 ? [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail] : head;
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

const dotted = (b: Uint8Array, at: number) => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
const zeros = (b: Uint8Array, from: number, to: number) => b.subarray(from, to).every((x) => x === 0);

/**
 * Parses an address (brackets and a zone id allowed). The IPv4 address an IPv6 one carries: mapped
 * ::ffff:0:0/96, SIIT ::ffff:0:0:0/96, compatible ::/96 (not :: or ::1), NAT64 64:ff9b::/96, 6to4
 * 2002::/16: each reaches, or is treated by some stack as, that IPv4 address.
 */
function parseAddress(input: string): Parsed | undefined {
  let a = input.startsWith('[') && input.endsWith(']') ? input.slice(1, -1) : input;
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  const family = isIP(a);
  if (family === 4) {
    const bytes = new Uint8Array(16);
    bytes[10] = bytes[11] = 0xff;
    a.split('.').forEach((x, i) => (bytes[12 + i] = Number(x)));
    return { bytes, v4: a };
  }
  if (family !== 6) return undefined;
  const b = parseV6(a);
  const hi = (b[0]! << 8) | b[1]!;
  if (zeros(b, 0, 10) && b[10] === 0xff && b[11] === 0xff) return { bytes: b, v4: dotted(b, 12) };
  if (zeros(b, 0, 8) && b[8] === 0xff && b[9] === 0xff && zeros(b, 10, 12)) return { bytes: b, v4: dotted(b, 12) };
  if (zeros(b, 0, 12) && !zeros(b, 12, 15)) return { bytes: b, v4: dotted(b, 12) };
  if (zeros(b, 0, 12) && b[15]! > 1) return { bytes: b, v4: dotted(b, 12) };
  if (hi === 0x0064 && b[2] === 0xff && b[3] === 0x9b && zeros(b, 4, 12)) return { bytes: b, v4: dotted(b, 12) };
  if (hi === 0x2002) return { bytes: b, v4: dotted(b, 2) };
  return { bytes: b };
}

/** The refused ranges by reason; the first match wins, so the order matters where ranges nest. */
const V4_RANGES: Array<[RefusalReason, string, number]> = [
  ['unspecified', '0.0.0.0', 8],
  ['loopback', '127.0.0.0', 8],
  ['private', '10.0.0.0', 8],
  ['private', '172.16.0.0', 12],
  ['private', '192.168.0.0', 16],
  ['private', '100.64.0.0', 10],
  ['link-local', '169.254.0.0', 16],
  ['reserved', '192.0.0.0', 24],
  ['reserved', '192.0.2.0', 24],
  ['reserved', '198.18.0.0', 15],
  ['reserved', '198.51.100.0', 24],
  ['reserved', '203.0.113.0', 24],
  ['multicast', '224.0.0.0', 4],
  ['multicast', '255.255.255.255', 32],
  ['reserved', '240.0.0.0', 4],
];

const V6_RANGES: Array<[RefusalReason, string, number]> = [
  ['unspecified', '::', 128],
  ['loopback', '::1', 128],
  ['reserved', '::', 96], // IPv4-compatible forms of reserved IPv4 addresses not caught above
  ['private', '64:ff9b:1::', 48], // NAT64 for local use
  ['reserved', '100::', 64], // discard
  ['reserved', '2001::', 32], // Teredo: carries an obfuscated IPv4 address
  ['reserved', '2001:db8::', 32], // documentation
  ['private', 'fc00::', 7],
  ['link-local', 'fe80::', 10],
  ['private', 'fec0::', 10], // site-local (deprecated)
  ['multicast', 'ff00::', 8],
];

function rangeTable(ranges: Array<[RefusalReason, string, number]>, type: 'ipv4' | 'ipv6'): Array<[RefusalReason, BlockList]> {
  return ranges.map(([reason, address, prefix]) => {
    const list = new BlockList();
    list.addSubnet(address, prefix, type);
    return [reason, list];
  });
}

const V4_TABLE = rangeTable(V4_RANGES, 'ipv4');
const V6_TABLE = rangeTable(V6_RANGES, 'ipv6');

function v6Text(b: Uint8Array): string {
  const g: string[] = [];
  for (let i = 0; i < 16; i += 2) g.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  return g.join(':');
}

function classifyParsed(p: Parsed): RefusalReason | undefined {
  if (p.v4 !== undefined) {
    for (const [reason, list] of V4_TABLE) if (list.check(p.v4, 'ipv4')) return reason;
    // A carried IPv4 address that is public: the IPv6 form itself may still be a refused range.
    if (p.bytes[10] === 0xff && zeros(p.bytes, 0, 10)) return undefined;
  }
  const text = v6Text(p.bytes);
  for (const [reason, list] of V6_TABLE) if (list.check(text, 'ipv6')) return reason;
  return undefined;
}

/**
 * The range an address is refused for by default, or undefined for a public address. IPv6 forms
 * carrying an IPv4 address are judged by that address (`::ffff:127.0.0.1` is loopback). An
 * address that does not parse is `reserved`.
 */
export function classifyAddress(address: string): RefusalReason | undefined {
  const p = parseAddress(address);
  return p ? classifyParsed(p) : 'reserved';
}

/** One spelling per address (an IPv4 address and its IPv6 forms alike), to compare addresses. */
export function addressKey(address: string): string | undefined {
  const p = parseAddress(address);
  return p ? (p.v4 ?? v6Text(p.bytes)) : undefined;
}

function matchesNet(net: NonNullable<AllowEntry['net']>, p: Parsed): boolean {
  // BlockList matches an IPv4 range against the IPv4-mapped IPv6 form too.
  if (net.list.check(v6Text(p.bytes), 'ipv6')) return true;
  return p.v4 !== undefined && net.list.check(p.v4, 'ipv4');
}

function matches(e: AllowEntry, name: string, p: Parsed, port: number): boolean {
  if (e.port !== undefined && e.port !== port) return false;
  if (e.name !== undefined) return e.name === name;
  return matchesNet(e.net!, p);
}

/**
 * Whether a connection to `dest` is allowed under the allow entries `allow` (the operator's, plus
 * what the function was granted). `platform` is the platform's own endpoint: an address of this
 * host (loopback, unspecified, or one of `platform.addresses`) at its port is refused unless an
 * entry with exactly that port names the host (a host name or a single address), never by a
 * range or a bare host.
 */
export function decide(dest: Destination, allow: readonly AllowEntry[], platform?: PlatformEndpoint): Decision {
  const p = parseAddress(dest.address);
  if (!p) return { allowed: false, reason: 'reserved' };
  const name = stripDot(dest.hostname.toLowerCase());
  const reason = classifyParsed(p);
  if (platform && dest.port === platform.port && isPlatformAddress(p, reason, platform)) {
    const exact = allow.some((e) => e.port === dest.port && (e.name !== undefined || e.net!.prefix === (e.net!.family === 4 ? 32 : 128)) && matches(e, name, p, dest.port));
    return exact ? ALLOWED : { allowed: false, reason: 'platform' };
  }
  if (reason === undefined) return ALLOWED;
  for (const e of allow) if (matches(e, name, p, dest.port)) return ALLOWED;
  return { allowed: false, reason };
}

function isPlatformAddress(p: Parsed, reason: RefusalReason | undefined, platform: PlatformEndpoint): boolean {
  if (reason === 'loopback' || reason === 'unspecified') return true;
  const key = p.v4 ?? v6Text(p.bytes);
  return platform.addresses.some((a) => addressKey(a) === key);
}

/** The function's log line for a refused call, with what the operator can do about it. */
export function refusalText(reason: RefusalReason, address?: string, port?: number): string {
  const where = address === undefined ? '' : ` ${address.includes(':') ? `[${address}]` : address}${port === undefined ? '' : `:${port}`}`;
  if (reason === 'scheme') return REASON_TEXT.scheme;
  if (reason === 'platform') return `${REASON_TEXT.platform}${where} (only an --allow-outbound entry naming exactly this host:port opens it)`;
  return `${REASON_TEXT[reason]}${where} (the operator can allow it with --allow-outbound)`;
}

/**
 * The operator's egress settings: `allow` is granted to every function (`serve --allow-outbound`);
 * `grant` are destinations a function may ask for in its `config.outbound` (`serve --grant-outbound`).
 */
export class EgressPolicy {
  readonly allow: readonly AllowEntry[];
  readonly grant: readonly AllowEntry[];
  private endpoint: () => PlatformEndpoint | undefined;

  /** Throws EgressConfigError naming a bad entry. */
  constructor(o: { allow?: string | readonly string[]; grant?: string | readonly string[]; platform?: () => PlatformEndpoint | undefined } = {}) {
    this.allow = parseAllowList(o.allow);
    this.grant = parseAllowList(o.grant);
    this.endpoint = o.platform ?? (() => undefined);
  }

  /** The platform's own endpoint, once it listens (the port may be chosen by the system). */
  setPlatform(endpoint: () => PlatformEndpoint | undefined): void {
    this.endpoint = endpoint;
  }

  /** The first `config.outbound` entry that neither operator list covers, or undefined. Entries must parse. */
  uncovered(outbound: readonly string[] | undefined): string | undefined {
    for (const e of parseAllowList(outbound)) {
      if (!this.allow.some((o) => entryCovers(o, e)) && !this.grant.some((o) => entryCovers(o, e))) return e.text;
    }
    return undefined;
  }

  /** A function's entries: the operator's allow list plus its `config.outbound` entries that the operator's lists still cover. */
  entriesFor(outbound: readonly string[] | undefined): AllowEntry[] {
    if (!outbound || outbound.length === 0) return [...this.allow];
    const extra = parseAllowList(outbound).filter((e) => this.allow.some((o) => entryCovers(o, e)) || this.grant.some((o) => entryCovers(o, e)));
    return [...this.allow, ...extra];
  }

  decide(dest: Destination, entries: readonly AllowEntry[] = this.allow): Decision {
    return decide(dest, entries, this.endpoint());
  }
}
