// Polls a URL until it answers 200: the readiness signal of processes that do not speak IPC
// (the sample), and the clock of the cold-start scenario.
import { request } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

function statusOf(url) {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}

/**
 * Resolves with the ms from `since` (hrtime bigint) to the first 200; rejects when the child exits
 * or `timeoutMs` passes. Polls every `intervalMs`.
 */
export async function waitFor200(url, { child, since = process.hrtime.bigint(), timeoutMs = 30_000, intervalMs = 5 }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`${child.label} exited (${child.exitCode ?? child.signalCode}) before ${url} answered 200:\n${child.output}`);
    }
    if ((await statusOf(url)) === 200) return Number(process.hrtime.bigint() - since) / 1e6;
    await delay(intervalMs);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms${child ? `:\n${child.output}` : ''}`);
}
