// An AWS Lambda authorizer-like handler as people write one today: a JWT (HS256) split, its base64url
// parts decoded with atob, the signature checked with node:crypto's HMAC in base64url, claims
// checked against a fixed clock, and role-based answers with a Set of scopes.
const { createHmac } = require('crypto');

const SECRET = 'dev-secret-not-for-prod';
const NOW = 1_700_000_000;

const b64urlDecode = (s) => {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return decodeURIComponent([...bin].map((ch) => '%' + ch.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
};

function verify(token) {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, why: `expected 3 parts, got ${parts.length}` };
  const [h, p, sig] = parts;
  let header, claims;
  try {
    header = JSON.parse(b64urlDecode(h));
    claims = JSON.parse(b64urlDecode(p));
  } catch (e) {
    return { ok: false, why: `undecodable: ${e.name}` };
  }
  if (header.alg !== 'HS256') return { ok: false, why: `alg ${header.alg} not accepted` };
  const want = createHmac('sha256', SECRET).update(`${h}.${p}`).digest('base64url');
  if (want !== sig) return { ok: false, why: 'bad signature' };
  if (typeof claims.exp === 'number' && claims.exp < NOW) return { ok: false, why: `expired ${NOW - claims.exp}s ago` };
  if (typeof claims.nbf === 'number' && claims.nbf > NOW) return { ok: false, why: 'not yet valid' };
  return { ok: true, claims };
}

exports.handler = async (event) => {
  const auth = event.headers?.authorization ?? '';
  const [scheme, token = ''] = auth.split(' ');
  if (scheme !== 'Bearer') return { statusCode: 401, headers: { 'www-authenticate': 'Bearer' }, body: JSON.stringify({ error: 'missing bearer token' }) };
  const result = verify(token);
  if (!result.ok) return { statusCode: 401, body: JSON.stringify({ error: result.why }) };
  const { sub, scope = '', name } = result.claims;
  const scopes = new Set(scope.split(/\s+/).filter(Boolean));
  const need = event.rawPath.startsWith('/admin') ? 'admin' : 'read';
  if (!scopes.has(need)) return { statusCode: 403, body: JSON.stringify({ error: `needs scope ${need}`, has: [...scopes].sort() }) };
  return { sub, name: name ?? null, scopes: [...scopes], path: event.rawPath, greeting: `Hello, ${name?.split(' ')[0] ?? sub}!` };
};
