import { setTimeout as sleep } from 'node:timers/promises';
import type { SimulatedBackendHandler } from 'nestjs-apikit/testing';

/**
 * What the demo backend knows: every job has these metrics. Like the technote's backend, it
 * answers plain text, and not always valid UTF-8 (`legacy` is Latin-1 bytes).
 */
const DEMO_METRICS: Readonly<Record<string, (job: string) => Buffer>> = {
  time: (job) => Buffer.from(String(60 + (hash(job) % 540))),
  status: (job) => Buffer.from(hash(job) % 5 === 0 ? 'failed' : 'passed'),
  owner: () => Buffer.from('Zoë', 'utf8'),
  legacy: () => Buffer.from('caf\xe9', 'latin1'),
};

export const DEMO_METRIC_NAMES = Object.keys(DEMO_METRICS);

export interface DemoMetricsOptions {
  /** Answer after this delay, in ms (to watch a graceful shutdown finish a slow request). */
  delayMs: number;
  /** Called when a request arrives, before the delay. */
  onRequest?: (request: { user: string; job: string; metric: string }) => void;
}

/**
 * The technote's ill-behaved backend: `GET /api?metric=<metric>&job=<jobname>` answers the value
 * as plain text. An unknown metric is a 404 with a plain-text reason, which the sample relays
 * as a BackendError.
 */
export function demoMetricsHandler(options: DemoMetricsOptions): SimulatedBackendHandler {
  return async (req, res, ctx) => {
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    if (url.pathname !== '/api') return answer(res, 404, `No such endpoint: ${url.pathname}`);
    if (req.method !== 'GET') return answer(res, 405, 'Only GET is supported.');
    const job = url.searchParams.get('job') ?? '';
    const metric = url.searchParams.get('metric') ?? '';
    options.onRequest?.({ user: ctx.user, job, metric });
    if (options.delayMs > 0) await sleep(options.delayMs);
    const value = DEMO_METRICS[metric];
    if (value === undefined || job === '') {
      return answer(res, 404, `No metric '${metric}' for job '${job}'. Known metrics: ${DEMO_METRIC_NAMES.join(', ')}.`);
    }
    answer(res, 200, value(job));
  };
}

function answer(res: Parameters<SimulatedBackendHandler>[1], status: number, body: string | Buffer): void {
  // No charset: the technote's backend did not promise one either.
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** A small stable number per job, so the demo's values look plausible and repeat. */
function hash(text: string): number {
  let h = 0;
  for (const char of text) h = (h * 31 + char.charCodeAt(0)) >>> 0;
  return h;
}
