// A small job runner in the style of current async code: a promise-returning sleep, retries with
// backoff, a queue processed with async/await in a loop, Promise.allSettled over the outcomes and
// queueMicrotask for bookkeeping. No outbound calls: every step is computed from the request.
const containerless = require('containerless');

const sleep = (ms, value) => new Promise((resolve) => setTimeout(() => resolve(value), ms));

let runs = 0;

async function attempt(job, tries) {
  if (job.failures >= tries) return { job: job.id, result: job.id.length * tries };
  throw new RangeError('job ' + job.id + ' failed try ' + tries);
}

async function withRetry(job, max) {
  let lastError = null;
  for (let tries = 1; tries <= max; tries++) {
    try {
      return await attempt(job, tries);
    } catch (e) {
      lastError = e;
      await sleep(tries);
    }
  }
  throw lastError;
}

containerless.listen(async function (req) {
  runs++;
  const ids = String(req.query.jobs || 'a').split(',').slice(0, 5);
  const failures = Number(req.query.failures) || 0;
  const max = Math.min(4, Math.max(1, parseInt(req.query.max, 10) || 2));
  const log = [];
  queueMicrotask(() => log.push('started'));
  const jobs = ids.map((id, i) => ({ id, failures: (failures + i) % 4 }));
  const settled = await Promise.allSettled(jobs.map((j) => withRetry(j, max)));
  log.push('settled');
  const sequential = [];
  for (const j of jobs) {
    const r = await sleep(0, j.id.toUpperCase());
    sequential.push(r);
  }
  const summary = settled.map((s) => (s.status === 'fulfilled' ? s.value.result : s.reason.message));
  if (req.query.strict === 'yes' && settled.some((s) => s.status === 'rejected')) throw new Error('strict: a job failed');
  containerless.respond({ summary, sequential, log, runs: runs > 0 });
});
