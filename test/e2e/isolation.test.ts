// The isolation table (test/sandbox/isolation-table.ts) through the platform: a deployed function,
// with its config's network, must meet the same answers as the platform's sandbox at the driver level.
// Checks that need the container itself (cgroups, limits) are made there only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMockServer } from '../sandbox/helpers.ts';
import { CHECKS, HOST_FILE_TEXT, SERVER_SECRET, type Target } from '../sandbox/isolation-table.ts';
import { PROBE } from '../sandbox/probe-function.ts';
import { call, deploy, platform, tempDir } from './helpers.ts';

test('the isolation table through the platform: functions deployed with network "none" and "host"', async (t) => {
  process.env[SERVER_SECRET.name] = SERVER_SECRET.value;
  const backend = await startMockServer();
  t.after(() => backend.close());
  // network "host" is the operator's to allow; the backend is allowed so that containerless.get reaches it.
  const p = await platform(t, { allowHostNetwork: true, allowOutbound: new URL(backend.url).host });
  const hostFile = join(tempDir(t, 'cl-secret-'), 'secret.txt');
  writeFileSync(hostFile, HOST_FILE_TEXT, { mode: 0o644 });
  const deployed = new Set<string>();
  const target: Target = {
    driver: p.driver.name,
    limitations: p.driver.limitations,
    hostFile,
    backend,
    async ask(req, network = 'none') {
      const name = `probe-${network}`;
      if (!deployed.has(name)) {
        await deploy(p, name, PROBE, { network });
        deployed.add(name);
      }
      const r = await call(p, `/fn/${name}${req.path}?${new URLSearchParams(req.query ?? {})}`);
      assert.equal(r.status, 200, r.text);
      return r.headers.get('content-type')?.startsWith('application/json') ? r.json() : r.text;
    },
  };
  for (const check of CHECKS) {
    const want = check.expect[target.driver];
    if (want === 'n/a' || check.driverLevel) {
      t.diagnostic(`checked at the driver level only: ${check.tries}`);
      continue;
    }
    await t.test(`${target.driver} through the platform: ${check.tries}: ${want}`, async () => {
      assert.equal(await check.attempt(target), want);
    });
  }
});
