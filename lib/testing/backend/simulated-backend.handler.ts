import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendPlain } from '../http/http-response.writer.js';
import { parseRequestUrl } from '../http/request-url.parser.js';
import type { SimulatedBackendHandler } from '../simulated-stack.interface.js';

/**
 * The value the default backend answers for (job, metric): deterministic, so tests can assert it,
 * and different per pair, so a mixed-up request shows. A decimal string such as `"731.42"`.
 */
export function simulatedMetricValue(job: string, metric: string): string {
  const digest = createHash('sha256').update(`${job}\0${metric}`).digest();
  return (digest.readUInt32BE(0) % 100_000 / 100).toFixed(2);
}

/**
 * The technote's ill-behaved backend: `GET /api?metric=<m>&job=<j>` answers a bare `text/plain`
 * value (not JSON), missing parameters a 400 text, other paths a 404 text.
 */
export const simulatedBackendHandler: SimulatedBackendHandler = (req: IncomingMessage, res: ServerResponse) => {
  const url = parseRequestUrl(req);
  if (!url || url.pathname !== '/api') return sendPlain(res, 404, '404 page not found\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendPlain(res, 405, 'Method Not Allowed\n', { allow: 'GET, HEAD' });
  const metric = url.searchParams.get('metric');
  const job = url.searchParams.get('job');
  if (!metric || !job) return sendPlain(res, 400, 'Bad Request: both metric and job query parameters are required\n');
  sendPlain(res, 200, simulatedMetricValue(job, metric));
};
