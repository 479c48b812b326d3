import type { IncomingMessage, ServerResponse } from 'node:http';
import { BackendError } from '../lib/errors/backend-error.js';
import { raiseFromResponse } from '../lib/errors/raise-from-response.js';
import { retryRequest } from '../lib/retry/retry-request.js';
import { RetryAttempt } from '../lib/retry/retry-request.interface.js';
import { startLoopbackServer } from '../lib/testing/http/loopback-server.js';
import { readRequestBody } from '../lib/testing/http/request-body.reader.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real loopback backend: `answer` decides each reply from the request index (0-based). */
interface Backend {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

async function startBackend(answer: (index: number, res: ServerResponse, req: IncomingMessage) => void): Promise<Backend> {
  const received: Received[] = [];
  const server = await startLoopbackServer('127.0.0.1', async (req, res) => {
    const body = await readRequestBody(req, 1024 * 1024);
    const index = received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body }) - 1;
    answer(index, res, req);
  }, () => false);
  return { url: server.url, received, close: () => server.close() };
}

function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
}

/** A port nobody listens on: bind one, then free it. */
async function refusedPort(): Promise<number> {
  const server = await startLoopbackServer('127.0.0.1', async () => undefined, () => false);
  await server.close();
  return Number(new URL(server.url).port);
}

async function rejection(promise: Promise<unknown>): Promise<BackendError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BackendError) return error;
    throw error;
  }
  throw new Error('expected a BackendError');
}

describe('retryRequest over real HTTP', () => {
  let backend: Backend | undefined;
  afterEach(async () => {
    await backend?.close();
    backend = undefined;
  });

  it('test_retry_request: a missing resource exhausts the tries and throws the ISE with apikit\'s text', async () => {
    backend = await startBackend((_, res) => reply(res, 404, '  no such thing\n'));
    const url = `${backend.url}/lsst-sqre/nonexistent`;
    const error = await rejection(retryRequest('GET', url, { tries: 2, initialIntervalMs: 1 }));
    expect(error.statusCode).toBe(500);
    expect(error.reason).toBe('Internal Server Error');
    expect(error.content).toBe(`Failed to 'get' ${url} after 2 attempts.  Last response was '404 Not Found' [no such thing]`);
    expect(backend.received).toHaveLength(2);
  });

  it('returns the first response under 400 after N failures, calling back before each wait', async () => {
    backend = await startBackend((i, res) => (i < 3 ? reply(res, 503, `busy ${i}`) : reply(res, 200, 'finally')));
    const calls: RetryAttempt[] = [];
    const res = await retryRequest('get', `${backend.url}/job`, { tries: 5, initialIntervalMs: 2, callback: (a) => void calls.push(a) });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('finally');
    expect(backend.received).toHaveLength(4);
    expect(calls).toEqual([
      { n: 1, remaining: 4, status: 503, content: 'busy 0' },
      { n: 2, remaining: 3, status: 503, content: 'busy 1' },
      { n: 3, remaining: 2, status: 503, content: 'busy 2' },
    ]);
  });

  it('does not call back after the last try', async () => {
    backend = await startBackend((_, res) => reply(res, 500, 'down'));
    const calls: RetryAttempt[] = [];
    await rejection(retryRequest('GET', backend.url, { tries: 3, initialIntervalMs: 1, callback: (a) => void calls.push(a) }));
    expect(calls.map((c) => c.n)).toEqual([1, 2]);
  });

  it('a 3xx status is a success, as in apikit (status < 400)', async () => {
    backend = await startBackend((_, res) => reply(res, 304, ''));
    expect((await retryRequest('GET', backend.url, { tries: 1 })).status).toBe(304);
    expect(backend.received).toHaveLength(1);
  });

  it('retries network errors up to the tries and says so without a status', async () => {
    const url = `http://127.0.0.1:${await refusedPort()}/x`;
    const calls: RetryAttempt[] = [];
    const error = await rejection(retryRequest('GET', url, { tries: 3, initialIntervalMs: 1, callback: (a) => void calls.push(a) }));
    expect(error.content).toMatch(
      new RegExp(`^Failed to 'get' ${url.replace(/[.]/g, '\\.')} after 3 attempts\\.  Last response was '0 Network Error' \\[.*ECONNREFUSED.*\\]$`),
    );
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ n: 1, remaining: 2, status: 0 });
    expect(calls[0].content).toMatch(/ECONNREFUSED/);
  });

  it('recovers when a dropped connection is followed by an answer', async () => {
    backend = await startBackend((i, res, req) => (i === 0 ? req.socket.destroy() : reply(res, 200, 'ok')));
    const res = await retryRequest('GET', backend.url, { tries: 2, initialIntervalMs: 1 });
    expect(await res.text()).toBe('ok');
    expect(backend.received).toHaveLength(2);
  });

  it('POST sends POST (apikit sent PUT) with the payload as a JSON body', async () => {
    backend = await startBackend((_, res) => reply(res, 201, 'created'));
    const payload = { job: 'build', n: 3, tags: ['a', 'b'] };
    const res = await retryRequest('POST', `${backend.url}/jobs`, { payload, headers: { 'X-Trace': 't1' } });
    expect(res.status).toBe(201);
    const [sent] = backend.received;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/jobs');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers['x-trace']).toBe('t1');
    expect(JSON.parse(sent.body)).toEqual(payload);
  });

  it('PUT sends PUT with the JSON body; without payload no body', async () => {
    backend = await startBackend((_, res) => reply(res, 200, ''));
    await retryRequest('put', `${backend.url}/a`, { payload: { x: 1 } });
    await retryRequest('PUT', `${backend.url}/b`);
    expect(backend.received.map((r) => [r.method, r.body])).toEqual([
      ['PUT', '{"x":1}'],
      ['PUT', ''],
    ]);
  });

  it('GET sends the payload as query parameters (arrays repeat, null is left out) and no body', async () => {
    backend = await startBackend((_, res) => reply(res, 200, ''));
    await retryRequest('GET', `${backend.url}/search?page=2`, { payload: { q: 'a b&c', tag: ['x', 'y'], skip: null, n: 5 } });
    const [sent] = backend.received;
    expect(sent.method).toBe('GET');
    const query = new URL(sent.url, 'http://host').searchParams;
    expect(query.get('page')).toBe('2');
    expect(query.get('q')).toBe('a b&c');
    expect(query.getAll('tag')).toEqual(['x', 'y']);
    expect(query.has('skip')).toBe(false);
    expect(query.get('n')).toBe('5');
    expect(sent.body).toBe('');
    expect(sent.headers['content-type']).toBeUndefined();
  });

  it('sends auth as a Basic Authorization header and never shows the password', async () => {
    backend = await startBackend((_, res) => reply(res, 401, 'who are you'));
    const calls: RetryAttempt[] = [];
    const auth = { username: 'bot', password: 'hunter2-secret' };
    const error = await rejection(retryRequest('GET', `${backend.url}/private`, { auth, tries: 2, initialIntervalMs: 1, callback: (a) => void calls.push(a) }));
    expect(backend.received[0].headers.authorization).toBe(`Basic ${Buffer.from('bot:hunter2-secret').toString('base64')}`);
    expect(backend.received[0].url).toBe('/private');
    const shown = JSON.stringify([error.toDict(), error.message, String(error), calls]);
    expect(shown).toContain('401');
    expect(shown).not.toContain('hunter2-secret');
  });

  it('refuses a URL carrying credentials without echoing them, before any request', async () => {
    backend = await startBackend((_, res) => reply(res, 200, ''));
    const url = backend.url.replace('http://', 'http://bot:hunter2-secret@');
    await expect(retryRequest('GET', url)).rejects.toThrow("'url' must not carry credentials");
    await expect(retryRequest('GET', url)).rejects.not.toThrow(/hunter2/);
    expect(backend.received).toHaveLength(0);
  });

  it('an unknown method throws the ISE BackendError without sending anything', async () => {
    backend = await startBackend((_, res) => reply(res, 200, ''));
    // @ts-expect-error: apikit accepted only get, put and post
    const error = await rejection(retryRequest('DELETE', backend.url));
    expect(error.toDict()).toEqual({ reason: 'Internal Server Error', status_code: 500, error_content: expect.stringContaining('Bad method "DELETE"') });
    expect(backend.received).toHaveLength(0);
  });

  it('refuses schedules it cannot keep', async () => {
    await expect(retryRequest('GET', 'http://127.0.0.1:1', { tries: 0 })).rejects.toThrow(RangeError);
    await expect(retryRequest('GET', 'http://127.0.0.1:1', { tries: 2.5 })).rejects.toThrow(/'tries' must be an integer >= 1/);
    await expect(retryRequest('GET', 'http://127.0.0.1:1', { initialIntervalMs: -1 })).rejects.toThrow(/'initialIntervalMs'/);
    await expect(retryRequest('GET', 'http://127.0.0.1:1', { initialIntervalMs: 2 ** 30, tries: 4 })).rejects.toThrow(/longest wait/);
  });

  it('aborting during a wait rejects with the signal reason and sends nothing more', async () => {
    backend = await startBackend((_, res) => reply(res, 503, 'busy'));
    const controller = new AbortController();
    const reason = new Error('shutting down');
    // A one-minute wait that the abort from the callback must cut short (jest would time out otherwise).
    const pending = retryRequest('GET', backend.url, {
      tries: 3,
      initialIntervalMs: 60_000,
      signal: controller.signal,
      callback: () => void setImmediate(() => controller.abort(reason)),
    });
    await expect(pending).rejects.toBe(reason);
    expect(backend.received).toHaveLength(1);
  });

  it('aborting an in-flight request rejects with the signal reason', async () => {
    const controller = new AbortController();
    const reason = new Error('give up');
    // Never answers: only the abort can end the request.
    backend = await startBackend(() => controller.abort(reason));
    await expect(retryRequest('GET', backend.url, { signal: controller.signal, initialIntervalMs: 1 })).rejects.toBe(reason);
    expect(backend.received).toHaveLength(1);
  });
});

describe('raiseFromResponse over real HTTP (apikit tests/test_raise_from_response.py)', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await startBackend((_, res, req) => {
      if (req.url === '/ok') return reply(res, 200, 'fine');
      if (req.url === '/teapot') {
        res.statusMessage = 'Teapot Trouble';
        return reply(res, 418, 'short and stout');
      }
      if (req.url === '/huge') return reply(res, 502, 'x'.repeat(200_000));
      return reply(res, 404, 'Not here');
    });
  });
  afterAll(() => backend.close());

  it('test_raise_from_response: a 404 becomes BackendError 404 "Not Found" with the body as content', async () => {
    const error = await rejection(raiseFromResponse(await fetch(`${backend.url}/lsst-sqre/nonexistent`)));
    expect(error.statusCode).toBe(404);
    expect(error.reason).toBe('Not Found');
    expect(error.content).toBe('Not here');
  });

  it('returns for a status under 400', async () => {
    await expect(raiseFromResponse(await fetch(`${backend.url}/ok`))).resolves.toBeUndefined();
  });

  it("keeps the server's own reason phrase", async () => {
    const error = await rejection(raiseFromResponse(await fetch(`${backend.url}/teapot`)));
    expect([error.statusCode, error.reason, error.content]).toEqual([418, 'Teapot Trouble', 'short and stout']);
  });

  it('bounds the content it reads from an untrusted body', async () => {
    const error = await rejection(raiseFromResponse(await fetch(`${backend.url}/huge`), 1024));
    expect(error.content).toBe(`${'x'.repeat(1024)}… [truncated]`);
  });
});
