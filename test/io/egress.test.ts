import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EgressPolicy, classifyAddress, decide, entryCovers, parseAllowEntry, parseAllowList, refusalText, type PlatformEndpoint } from '../../src/io/egress.ts';

/** What the I/O layer connects to for a URL host: undici takes the WHATWG URL parser's hostname. */
const urlAddress = (host: string) => new URL(`http://${host}/`).hostname.replace(/^\[|\]$/g, '');

test('classifyAddress: every default-refused range, in every spelling that reaches it', () => {
  const table: Array<[string, string | undefined]> = [
    // loopback
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:7f00:0001', 'loopback'],
    ['::127.0.0.1', 'loopback'], // IPv4-compatible
    ['::7f00:1', 'loopback'],
    ['::ffff:0:127.0.0.1', 'loopback'], // SIIT
    ['64:ff9b::127.0.0.1', 'loopback'], // NAT64
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:7f00:1::1', 'loopback'], // 6to4
    ['[::1]', 'loopback'],
    // private
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.255', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:a01:203', 'private'],
    ['64:ff9b::192.168.0.1', 'private'],
    ['64:ff9b:1::1', 'private'],
    // link-local, metadata
    ['169.254.169.254', 'link-local'],
    ['169.254.0.1', 'link-local'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    // unspecified
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['::ffff:0.0.0.0', 'unspecified'],
    // multicast, broadcast, reserved
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'multicast'],
    ['ff02::1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2001:0:4136:e378::1', 'reserved'], // Teredo
    ['::8.8.8.8', 'reserved'], // IPv4-compatible (deprecated)
    ['not an address', 'reserved'],
    // public
    ['8.8.8.8', undefined],
    ['1.1.1.1', undefined],
    ['172.32.0.1', undefined],
    ['100.128.0.1', undefined],
    ['169.255.0.1', undefined],
    ['::ffff:8.8.8.8', undefined],
    ['64:ff9b::8.8.8.8', undefined],
    ['2606:4700:4700::1111', undefined],
    ['2a00:1450:4001:80b::200e', undefined],
  ];
  for (const [address, reason] of table) assert.equal(classifyAddress(address), reason, address);
});

test('URL spellings of loopback and friends reach the classifier as the address connected to', () => {
  const table: Array<[string, string]> = [
    ['127.1', 'loopback'],
    ['0x7f.1', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['2130706433', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['[::]', 'unspecified'],
    ['0', 'unspecified'],
    ['[::ffff:127.0.0.1]', 'loopback'],
    ['[::ffff:7f00:1]', 'loopback'],
    ['[0:0:0:0:0:0:0:1]', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['0xa9fea9fe', 'link-local'],
    ['10.1', 'private'],
  ];
  for (const [host, reason] of table) assert.equal(classifyAddress(urlAddress(host)), reason, host);
});

test('parseAllowEntry: hosts, host:port, IP literals, [v6]:port and CIDRs; a bad entry is named', () => {
  assert.deepEqual(parseAllowEntry('api.example.com'), { text: 'api.example.com', name: 'api.example.com' });
  assert.deepEqual(parseAllowEntry(' API.Example.com.:8443 '), { text: 'API.Example.com.:8443', name: 'api.example.com', port: 8443 });
  const v4 = parseAllowEntry('127.0.0.1:7999');
  assert.deepEqual([v4.net?.family, v4.net?.address, v4.net?.prefix, v4.port], [4, '127.0.0.1', 32, 7999]);
  const spelled = parseAllowEntry('127.1:7999');
  assert.deepEqual([spelled.net?.address, spelled.port], ['127.0.0.1', 7999], 'IPv4 spellings are read as a URL reads them');
  const v6 = parseAllowEntry('[::1]:8080');
  assert.deepEqual([v6.net?.family, v6.net?.address, v6.net?.prefix, v6.port], [6, '::1', 128, 8080]);
  const bare6 = parseAllowEntry('fd00::5');
  assert.deepEqual([bare6.net?.prefix, bare6.port], [128, undefined]);
  const cidr = parseAllowEntry('10.0.0.0/8');
  assert.deepEqual([cidr.net?.family, cidr.net?.prefix], [4, 8]);
  assert.equal(parseAllowEntry('fd00::/8').net?.prefix, 8);
  assert.equal(parseAllowEntry('localhost').name, 'localhost');

  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    ['10.0.0.0/33', /prefix length must be 0-32/],
    ['fd00::/129', /prefix length must be 0-128/],
    ['example.com/8', /CIDR needs an IPv4 or IPv6 address/],
    ['host:0', /port "0" is not 1-65535/],
    ['host:70000', /port "70000"/],
    ['host:http', /port "http"/],
    ['::1:8080x', /\[v6\]:port/],
    ['[127.0.0.1]:80', /brackets must hold an IPv6 address/],
    ['http://example.com', /not a URL/],
    ['*.example.com', /not a host name/],
    ['exa mple.com', /not a host name/],
    ['999.1.1.1', /not a valid host name/],
  ];
  for (const [text, why] of bad) {
    assert.throws(() => parseAllowEntry(text), (err: Error) => err.message.startsWith(`bad outbound entry ${JSON.stringify(text.trim())}`) && why.test(err.message), text);
  }
  assert.deepEqual(parseAllowList('a.com, 10.0.0.0/8,,b.com:1').map((e) => e.text), ['a.com', '10.0.0.0/8', 'b.com:1']);
  assert.throws(() => parseAllowList('a.com,b.com:x'), /bad outbound entry "b.com:x"/);
});

test('decide: defaults, allow entries by name, address, range and port', () => {
  const allow = parseAllowList('127.0.0.1:7999, backend.internal, db.internal:5432, 10.0.0.0/8, fd00::/8, [::1]:9000');
  const d = (hostname: string, address: string, port: number, entries = allow) => decide({ hostname, address, port }, entries);
  const refused = (reason: string) => ({ allowed: false, reason });
  const ok = { allowed: true };

  assert.deepEqual(d('example.com', '93.184.215.14', 80, []), ok, 'a public address is allowed by default');
  assert.deepEqual(d('127.0.0.1', '127.0.0.1', 7999, []), refused('loopback'));
  assert.deepEqual(d('127.0.0.1', '127.0.0.1', 7999), ok, 'the exact host:port');
  assert.deepEqual(d('127.0.0.1', '127.0.0.1', 7998), refused('loopback'), 'another port of the same host');
  assert.deepEqual(d('localhost', '127.0.0.1', 7999), ok, 'an address entry matches whatever name resolved to it');
  assert.deepEqual(d('::ffff:127.0.0.1', '::ffff:127.0.0.1', 7999), ok, 'and its IPv4-mapped form');
  assert.deepEqual(d('backend.internal', '192.168.3.4', 443), ok, 'a name entry allows what the name resolves to, any port');
  assert.deepEqual(d('BACKEND.internal.', '192.168.3.4', 443), ok, 'names compare without case and trailing dot');
  assert.deepEqual(d('other.internal', '192.168.3.4', 443), refused('private'));
  assert.deepEqual(d('db.internal', '172.20.0.9', 5432), ok);
  assert.deepEqual(d('db.internal', '172.20.0.9', 5433), refused('private'));
  assert.deepEqual(d('x', '10.200.0.1', 1234), ok, 'a CIDR, any port');
  assert.deepEqual(d('x', '::ffff:10.200.0.1', 1234), ok, 'a v4 CIDR covers the mapped form');
  assert.deepEqual(d('x', '11.0.0.1', 1234), ok);
  assert.deepEqual(d('x', 'fd00::1', 1), ok);
  assert.deepEqual(d('x', 'fc00::1', 1), refused('private'));
  assert.deepEqual(d('x', '::1', 9000), ok);
  assert.deepEqual(d('x', '::1', 9001), refused('loopback'));
  assert.deepEqual(d('x', '169.254.169.254', 80), refused('link-local'));
});

test('decide: the platform own address:port opens only to an entry naming exactly that host:port', () => {
  const platform: PlatformEndpoint = { port: 8080, addresses: ['127.0.0.1'] };
  const d = (list: string, hostname: string, address: string, port = 8080) => decide({ hostname, address, port }, parseAllowList(list), platform);
  const refused = { allowed: false, reason: 'platform' };
  const ok = { allowed: true };
  // Ranges and bare hosts never open it.
  assert.deepEqual(d('', '127.0.0.1', '127.0.0.1'), refused);
  assert.deepEqual(d('127.0.0.0/8', '127.0.0.1', '127.0.0.1'), refused);
  assert.deepEqual(d('0.0.0.0/0,::/0', '127.0.0.1', '127.0.0.1'), refused);
  assert.deepEqual(d('127.0.0.1', '127.0.0.1', '127.0.0.1'), refused);
  assert.deepEqual(d('localhost', 'localhost', '127.0.0.1'), refused);
  assert.deepEqual(d('127.0.0.1:7999', '127.0.0.1', '127.0.0.1'), refused, 'a backend on another port does not open the API');
  // Every local spelling of it at that port.
  assert.deepEqual(d('127.0.0.0/8', 'x', '127.0.0.2'), refused);
  assert.deepEqual(d('::/0', 'x', '::1'), refused);
  assert.deepEqual(d('0.0.0.0/0', 'x', '0.0.0.0'), refused);
  assert.deepEqual(d('::/0', 'x', '::ffff:127.0.0.1'), refused);
  // An entry naming exactly host:port does.
  assert.deepEqual(d('127.0.0.1:8080', '127.0.0.1', '127.0.0.1'), ok);
  assert.deepEqual(d('localhost:8080', 'localhost', '127.0.0.1'), ok);
  assert.deepEqual(d('localhost:8080', '127.0.0.1', '127.0.0.1'), refused, 'a name entry matches the name used');
  // Other ports are not the platform.
  assert.deepEqual(d('127.0.0.0/8', '127.0.0.1', '127.0.0.1', 8081), ok);
  assert.deepEqual(d('', '127.0.0.1', '127.0.0.1', 8081), { allowed: false, reason: 'loopback' });

  // Listening on 0.0.0.0: every interface address at that port is the platform, public ones too.
  const wild: PlatformEndpoint = { port: 8080, addresses: ['0.0.0.0', '127.0.0.1', '203.0.114.7', 'fe80::1'] };
  const dw = (list: string, address: string) => decide({ hostname: address, address, port: 8080 }, parseAllowList(list), wild);
  assert.deepEqual(dw('', '203.0.114.7'), refused);
  assert.deepEqual(dw('', '::ffff:203.0.114.7'), refused);
  assert.deepEqual(dw('fe80::/10', 'fe80::1'), refused);
  assert.deepEqual(dw('', '203.0.114.8'), ok, 'another host at that port is not the platform');
});

test('entryCovers and EgressPolicy: config.outbound within the allow and grant lists', () => {
  const c = (o: string, e: string) => entryCovers(parseAllowEntry(o), parseAllowEntry(e));
  assert.ok(c('10.0.0.0/8', '10.1.0.0/16'));
  assert.ok(c('10.0.0.0/8', '10.1.2.3'));
  assert.ok(c('10.0.0.0/8', '10.1.2.3:5432'));
  assert.ok(!c('10.0.0.0/16', '10.0.0.0/8'), 'a wider range is not covered');
  assert.ok(!c('10.0.0.0/8', '11.0.0.1'));
  assert.ok(!c('10.0.0.0/8', 'fd00::1'));
  assert.ok(c('fd00::/8', 'fd12::/16'));
  assert.ok(c('db.internal', 'db.internal:5432'));
  assert.ok(c('db.internal:5432', 'db.internal:5432'));
  assert.ok(!c('db.internal:5432', 'db.internal'), 'any port is wider than one');
  assert.ok(!c('db.internal:5432', 'db.internal:5433'));
  assert.ok(!c('db.internal', 'other.internal'));
  assert.ok(!c('10.0.0.0/8', 'db.internal'), 'a name is never inside a range (it may resolve anywhere)');

  const p = new EgressPolicy({ allow: 'shared.internal', grant: '10.0.0.0/8, db.internal:5432' });
  assert.equal(p.uncovered(['10.1.2.3:80', 'db.internal:5432', 'shared.internal:1']), undefined);
  assert.equal(p.uncovered(['10.1.2.3', '192.168.0.1']), '192.168.0.1');
  assert.equal(p.uncovered(['db.internal']), 'db.internal');
  assert.deepEqual(p.entriesFor(['10.1.2.3', '192.168.0.1']).map((e) => e.text), ['shared.internal', '10.1.2.3'], 'uncovered entries (stored before a restart with fewer grants) are dropped');
  const granted = p.entriesFor(['10.1.2.3']);
  assert.deepEqual(p.decide({ hostname: 'x', address: '10.1.2.3', port: 80 }, granted), { allowed: true });
  assert.deepEqual(p.decide({ hostname: 'x', address: '10.1.2.3', port: 80 }), { allowed: false, reason: 'private' }, 'a grant alone opens nothing');
  assert.throws(() => new EgressPolicy({ grant: 'ok.com,bad host' }), /bad outbound entry "bad host"/);
});

test('refusalText names the reason, the address and the operator knob', () => {
  assert.equal(refusalText('loopback', '127.0.0.1', 8080), 'loopback address 127.0.0.1:8080 (the operator can allow it with --allow-outbound)');
  assert.equal(refusalText('link-local', 'fe80::1', 80), 'link-local address [fe80::1]:80 (the operator can allow it with --allow-outbound)');
  assert.match(refusalText('platform', '127.0.0.1', 8080), /^the platform's own address 127.0.0.1:8080 \(only an --allow-outbound entry naming exactly this host:port opens it\)$/);
  assert.equal(refusalText('scheme'), 'only http: and https: URLs are allowed');
});
