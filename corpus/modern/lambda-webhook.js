// An AWS Lambda handler (payload 2.0) as people write a webhook receiver today: HMAC-SHA256 of the
// raw body with node:crypto, a header lookup, JSON.parse in try/catch, a class per event type with
// `extends` and `super`, optional chaining and nullish defaults, and JSON responses.
const crypto = require('crypto');

const SECRET = 'whsec_test_0123456789';

const reply = (statusCode, body) => ({ statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

class Event {
  constructor(payload) {
    this.id = payload.id ?? null;
    this.at = payload.created ?? 0;
  }
  summary() {
    return { id: this.id, type: this.constructor.type, at: new Date(this.at * 1000).toISOString() };
  }
}

class PaymentSucceeded extends Event {
  static type = 'payment.succeeded';
  constructor(payload) {
    super(payload);
    this.amount = payload.data?.amount ?? 0;
    this.currency = (payload.data?.currency ?? 'usd').toUpperCase();
  }
  summary() {
    return { ...super.summary(), charged: `${(this.amount / 100).toFixed(2)} ${this.currency}` };
  }
}

class CustomerCreated extends Event {
  static type = 'customer.created';
  constructor(payload) {
    super(payload);
    this.email = String(payload.data?.email ?? '').toLowerCase();
  }
  summary() {
    const [user, domain = '?'] = this.email.split('@');
    return { ...super.summary(), domain, masked: `${user.slice(0, 1)}***@${domain}` };
  }
}

const TYPES = new Map([PaymentSucceeded, CustomerCreated].map((C) => [C.type, C]));

function sign(body) {
  return crypto.createHmac('sha256', SECRET).update(body).digest('hex');
}

exports.handler = async (event) => {
  const body = event.body ?? '';
  if (event.requestContext?.http?.method !== 'POST') return reply(405, { error: 'POST only' });
  const given = event.headers?.['x-signature'] ?? event.queryStringParameters?.sig ?? '';
  const expected = sign(body);
  if (given !== expected && given !== 'skip') return reply(401, { error: 'bad signature', got: given.slice(0, 8), want: expected.slice(0, 8) });
  let payload;
  try {
    payload = JSON.parse(body);
  } catch (e) {
    return reply(400, { error: 'invalid JSON', message: e.message });
  }
  const Type = TYPES.get(payload?.type);
  if (!Type) return reply(202, { ignored: payload?.type ?? null });
  const ev = new Type(payload);
  console.log(`webhook ${Type.type} ${ev.id}`);
  return reply(200, { ok: true, event: ev.summary() });
};
