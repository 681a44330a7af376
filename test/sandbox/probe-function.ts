// A function that reports what it can see and do from inside its sandbox (used by the isolation tests).
export const PROBE = `
const c = require('containerless');
const fs = require('fs');
const http = require('http');
c.listen(function (req) {
  const q = req.query;
  if (req.path === '/hello') return c.respond('hello from ' + require('os').hostname());
  if (req.path === '/read') {
    try { return c.respond({ ok: true, text: fs.readFileSync(q.file, 'utf8') }); }
    catch (e) { return c.respond({ ok: false, code: e.code }); }
  }
  if (req.path === '/procs') {
    return c.respond({ self: process.pid, pids: fs.readdirSync('/proc').filter((x) => /^\\d+$/.test(x)).map(Number), hostPidVisible: fs.existsSync('/proc/' + q.pid) });
  }
  if (req.path === '/nodehttp') {
    const r = http.get(q.url, (res) => { res.resume(); c.respond({ ok: true, status: res.statusCode }); });
    r.on('error', (e) => c.respond({ ok: false, code: e.code || e.message }));
    r.setTimeout(2000, () => r.destroy(new Error('timeout')));
    return;
  }
  if (req.path === '/clget') return c.get(q.url, (body) => c.respond({ ok: body !== undefined, body }));
  if (req.path === '/self') {
    const st = fs.readFileSync('/proc/self/status', 'utf8').split('\\n');
    const field = (n) => (st.find((l) => l.startsWith(n + ':')) || '').split(/\\s+/)[1];
    return c.respond({ uid: process.getuid(), capEff: field('CapEff'), capBnd: field('CapBnd'), noNewPrivs: field('NoNewPrivs'), seccomp: field('Seccomp'), secret: process.env.CL_TEST_SECRET === undefined ? null : 'leaked', root: fs.readdirSync('/').sort() });
  }
  if (req.path === '/write') {
    const out = {};
    for (const f of ['/usr/x', '/tmp/x', '/opt/containerless/x', '/run/containerless/x', '/x']) {
      try { fs.writeFileSync(f, 'x'); out[f] = 'ok'; } catch (e) { out[f] = e.code; }
    }
    return c.respond(out);
  }
  if (req.path === '/fork') {
    // Each child node needs several threads; all count against the pids limit.
    const { spawn } = require('child_process');
    const kids = [];
    let spawned = 0, failed = 0;
    const settle = () => { if (spawned + failed === 20) { for (const k of kids) k.kill('SIGKILL'); c.respond({ spawned, failed }); } };
    for (let i = 0; i < 20; i++) {
      try {
        const k = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)'], { stdio: 'ignore' });
        kids.push(k);
        k.on('spawn', () => { spawned++; settle(); });
        k.on('error', () => { failed++; settle(); });
      } catch (e) { failed++; settle(); }
    }
    return;
  }
  c.respond('unknown');
});
`;
