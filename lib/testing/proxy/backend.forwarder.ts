import type { IncomingMessage, ServerResponse } from 'node:http';
import { interruptiblePause } from '../http/interruptible-pause.js';
import { sendJson, sendPlain, sendRedirect } from '../http/http-response.writer.js';
import { parseRequestUrl } from '../http/request-url.parser.js';
import type { SimulatedFaultSwitches } from '../simulated-fault.switches.js';
import type { SimulatedBackendHandler } from '../simulated-stack.interface.js';
import type { SimulatedStatsRecorder } from '../simulated-stats.recorder.js';

const BODY_CHUNK = Buffer.alloc(64 * 1024, 'x');

export interface BackendForwarderDeps {
  handler: SimulatedBackendHandler;
  faults: SimulatedFaultSwitches;
  stats: SimulatedStatsRecorder;
  signal: AbortSignal;
}

/** The identity the proxy vouches for. */
export interface ForwardedIdentity {
  login: string;
  email: string;
}

/** Hands an authenticated request to the backend, through the backend fault switches. */
export async function forwardToBackend(
  req: IncomingMessage,
  res: ServerResponse,
  identity: ForwardedIdentity,
  deps: BackendForwarderDeps,
): Promise<void> {
  const requestId = firstHeader(req.headers['x-request-id']);
  const traceparent = firstHeader(req.headers.traceparent);
  const tracestate = firstHeader(req.headers.tracestate);
  // oauth2-proxy sets these from the session; whatever the client sent is overwritten.
  req.headers['x-forwarded-user'] = identity.login;
  req.headers['x-forwarded-email'] = identity.email;
  const url = parseRequestUrl(req);
  deps.stats.recordBackendRequest({
    user: identity.login,
    method: req.method ?? 'GET',
    path: url?.pathname ?? '/',
    url: url ? `${url.pathname}${url.search}` : '/',
    ...(requestId === undefined ? {} : { requestId }),
    ...(traceparent === undefined ? {} : { traceparent }),
    ...(tracestate === undefined ? {} : { tracestate }),
  });

  const { faults } = deps;
  if (faults.backendReset) {
    req.socket.destroy();
    return;
  }
  const clientGone = new AbortController();
  res.once('close', () => clientGone.abort());
  await interruptiblePause(faults.backendDelayMs, AbortSignal.any([deps.signal, clientGone.signal]));
  if (res.destroyed || deps.signal.aborted) return;
  if (faults.backendSetCookies > 0) res.setHeader('set-cookie', floodCookies(faults.backendSetCookies));
  if (faults.backendRedirect !== undefined) return sendRedirect(res, faults.backendRedirect);
  const status = faults.takeBackendStatus();
  if (status !== undefined) return sendBackendFailure(res, status);
  if (faults.backendBodyBytes !== undefined) return streamBody(res, faults.backendBodyBytes);
  try {
    await deps.handler(req, res, requestId === undefined ? { user: identity.login } : { user: identity.login, requestId });
  } catch {
    // The real proxy answers 502 when its upstream fails; the handler's error stays out of the body.
    if (!res.headersSent) sendPlain(res, 502, 'Bad Gateway\n');
    else res.destroy();
  }
}

/**
 * The backend's own failure: a text body, and for 401/403 the JSON error of a web framework (FastAPI's
 * `{"detail": ...}`), a body that is neither the proxy's `{}` nor one of its pages.
 */
function sendBackendFailure(res: ServerResponse, status: number): void {
  const detail = `Simulated backend failure: status ${status}`;
  if (status === 401 || status === 403) return sendJson(res, status, { detail });
  sendPlain(res, status, `${detail}\n`);
}

let floodedCookies = 0;

/** `count` cookies never set before (a tracking-happy backend), each about 60 bytes in a Cookie header. */
function floodCookies(count: number): string[] {
  return Array.from({ length: count }, () => `flood${++floodedCookies}=${'v'.repeat(48)}; Path=/`);
}

/** Writes `size` bytes honouring back-pressure, so a huge body costs the server no memory. */
async function streamBody(res: ServerResponse, size: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': size });
  let left = size;
  while (left > 0 && !res.destroyed) {
    const chunk = left >= BODY_CHUNK.length ? BODY_CHUNK : BODY_CHUNK.subarray(0, left);
    left -= chunk.length;
    if (!res.write(chunk)) await drainedOrClosed(res);
  }
  res.end();
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** A header value from the network, only when present, single and of sane length. */
function firstHeader(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first !== undefined && first.length > 0 && first.length <= 200 ? first : undefined;
}
