// The isolation table (isolation-table.ts) on every sandbox driver: each check's attempt must end
// as the table says for that driver. A driver this machine cannot run is reported as skipped.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Container, DriverName } from '../../src/sandbox/index.ts';
import { killAll, makeDriver, respond, startMockServer, startWith, tmpStateDir } from './helpers.ts';
import { CHECKS, HOST_FILE_TEXT, PROBE_LIMITS, SERVER_SECRET, type Target } from './isolation-table.ts';
import { PROBE } from './probe-function.ts';

const DRIVERS: DriverName[] = ['runc', 'bwrap', 'process'];
process.env[SERVER_SECRET.name] = SERVER_SECRET.value;

for (const name of DRIVERS) {
  test(`isolation table on ${name}`, async (t) => {
    const state = tmpStateDir(`isolation-${name}`);
    const backend = await startMockServer();
    t.after(async () => {
      await killAll();
      await backend.close();
      state.remove();
    });
    let driver;
    try {
      driver = await makeDriver(name, state.dir);
    } catch (err) {
      t.skip(`${name} cannot run here: ${(err as Error).message}`);
      return;
    }
    const hostFile = path.join(state.dir, 'secret.txt');
    writeFileSync(hostFile, HOST_FILE_TEXT, { mode: 0o644 });
    const start = async (source: string, spec: Parameters<typeof startWith>[2]) => (await startWith(driver, source, spec)).c;
    const probe = await start(PROBE, { network: 'none', ...PROBE_LIMITS });
    assert.equal(probe.driver, name);
    const probes = new Map<string, Container>([['none', probe]]);
    const target: Target = {
      driver: name,
      limitations: driver.limitations,
      hostFile,
      backend,
      async ask(req, network = 'none') {
        let c = probes.get(network);
        if (!c) probes.set(network, (c = await start(PROBE, { network })));
        const r = await respond(c, req, 5000);
        return r.headers['content-type']?.startsWith('application/json') ? JSON.parse(r.body) : r.body;
      },
      container: { probe, start },
    };
    for (const check of CHECKS) {
      const want = check.expect[name];
      if (want === 'n/a') {
        t.diagnostic(`not applicable on ${name}: ${check.tries}: ${check.notApplicable}`);
        continue;
      }
      await t.test(`${name}: ${check.tries}: ${want}`, async () => {
        assert.equal(await check.attempt(target), want);
      });
    }
  });
}
