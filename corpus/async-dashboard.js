// A dashboard endpoint written the way async code is written today: an async handler awaiting
// promisified get/post, in sequence and with Promise.all, with try/catch around a failing call.
const containerless = require('containerless');

function getJson(url) {
  return new Promise((resolve, reject) => {
    containerless.get(url, (body, meta) => {
      if (body === undefined) reject(new Error('no response from ' + url));
      else if (meta.status >= 400) reject(new Error('status ' + meta.status));
      else resolve(body);
    });
  });
}

function postJson(url, body) {
  return new Promise((resolve) => containerless.post({ url, body }, (resp, meta) => resolve({ resp, status: meta ? meta.status : 0 })));
}

async function serviceReport(backend, name) {
  const st = await getJson(backend + '/status?service=' + encodeURIComponent(name));
  return { name: st.service, up: st.up, slow: st.latency_ms > 150 };
}

containerless.listen(async (req) => {
  const backend = req.headers['x-backend'] || 'http://127.0.0.1:7999';
  const names = String(req.query.services || 'web').split(',').filter((s) => s !== '').slice(0, 4);
  if (req.path === '/login') {
    const { resp, status } = await postJson(backend + '/login', { username: req.query.user || '', password: req.query.pass || '' });
    containerless.respond(resp.ok ? { token: resp.token } : { error: resp.error }, { status: status === 200 ? 200 : 403 });
    return;
  }
  const words = await getJson(backend + '/words');
  const reports = await Promise.all(names.map((n) => serviceReport(backend, n)));
  let missing = null;
  try {
    await getJson(backend + '/nothing-here');
  } catch (e) {
    missing = e.message;
  }
  const down = reports.filter((r) => !r.up).map((r) => r.name);
  const first = await Promise.race([serviceReport(backend, names[0] || 'web'), new Promise((resolve) => setTimeout(() => resolve('timeout'), 5000))]);
  containerless.respond({ words: words.length, reports, down, missing, first: typeof first === 'string' ? first : first.name });
});
