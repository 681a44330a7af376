// An AWS Lambda handler (API Gateway HTTP API, payload 2.0) as people write one today: an async
// handler, a small service class with private state, fetch to a backend, and JSON responses.
const json = (statusCode, body, headers = {}) => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

class AccountsClient {
  #base;
  #calls = 0;
  constructor(base) {
    this.#base = base;
  }
  get calls() {
    return this.#calls;
  }
  async #request(path, init) {
    this.#calls++;
    const res = await fetch(`${this.#base}${path}`, init);
    const body = await res.json();
    return { status: res.status, body };
  }
  balance(id) {
    return this.#request(`/accounts/${encodeURIComponent(id)}`);
  }
  move(id, kind, amount) {
    return this.#request(`/accounts/${encodeURIComponent(id)}/${kind}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount }),
    });
  }
}

const parseBody = (event) => {
  if (!event.body) return {};
  try {
    const text = event.isBase64Encoded ? atob(event.body) : event.body;
    const data = JSON.parse(text);
    return data && typeof data === 'object' && !Array.isArray(data) ? data : {};
  } catch {
    return null;
  }
};

exports.handler = async (event, context) => {
  const client = new AccountsClient(event.headers['x-backend']);
  const method = event.requestContext.http.method;
  const [, resource, id, action] = event.rawPath.split('/');
  if (resource !== 'accounts' || !id) return json(404, { error: `no route for ${method} ${event.rawPath}` });
  if (method === 'GET' && !action) {
    const { status, body } = await client.balance(id);
    return json(status, { ...body, requestId: typeof context.awsRequestId === 'string' });
  }
  if (method === 'POST' && (action === 'deposit' || action === 'withdraw')) {
    const body = parseBody(event);
    if (body === null) return json(400, { error: 'the body is not JSON' });
    const amount = Number(body.amount ?? event.queryStringParameters?.amount);
    if (!Number.isFinite(amount) || amount <= 0) return json(422, { error: 'amount must be a positive number', got: body.amount ?? null });
    const before = await client.balance(id);
    const after = await client.move(id, action, amount);
    return json(after.status, { id, before: before.body.balance, after: after.body, calls: client.calls }, { 'x-calls': String(client.calls) });
  }
  return json(405, { error: 'method not allowed' }, { allow: action ? 'POST' : 'GET' });
};
