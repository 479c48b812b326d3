import type { ServerResponse } from 'node:http';
import { BackendError } from '../../errors/backend-error.js';
import { resolveApiKitOptions } from '../../options/apikit-options.resolver.js';
import { type LoopbackServer, startLoopbackServer } from '../../testing/http/loopback-server.js';
import { BackendHttpClient } from './backend-http.client.js';
import { CallDeadline } from './call-deadline.js';

const LIMIT = 64 * 1024;
const CHUNK = Buffer.alloc(16 * 1024, 'x');
/** Far more than the client's and the kernel's buffers hold: a client that read it all would need 64 MB. */
const HUGE_CHUNKS = 4096;

/** What each path answers, and how many bytes the huge streamed answer got out before the client hung up. */
function answer(path: string, res: ServerResponse, sent: { bytes: number; finished: boolean }): void {
  if (path === '/slow') {
    // Headers now, the body never: only a deadline or the caller's abort ends the request.
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('partial');
  } else if (path === '/declared') {
    res.setHeader('content-length', String(LIMIT));
    res.end(Buffer.alloc(LIMIT, 'd'));
  } else if (path === '/declared-too-large') {
    res.setHeader('content-length', String(LIMIT + 1));
    res.end(Buffer.alloc(LIMIT + 1, 'd'));
  } else if (path === '/chunked') {
    res.write(CHUNK);
    res.end(CHUNK);
  } else {
    // Unknown length (chunked), far above the limit: written chunk by chunk as the client reads.
    let written = 0;
    const writeMore = (): void => {
      while (written < HUGE_CHUNKS && !res.destroyed) {
        written += 1;
        sent.bytes += CHUNK.length;
        if (!res.write(CHUNK)) return void res.once('drain', writeMore);
      }
      if (written === HUGE_CHUNKS) {
        sent.finished = true;
        res.end();
      }
    };
    writeMore();
  }
}

describe('BackendHttpClient bodies', () => {
  let server: LoopbackServer;
  let origin: string;
  let client: BackendHttpClient;
  const sent = { bytes: 0, finished: false };

  beforeAll(async () => {
    server = await startLoopbackServer('127.0.0.1', async (req, res) => answer(req.url ?? '/', res, sent), () => false);
    origin = server.url;
    client = new BackendHttpClient(
      resolveApiKitOptions({ name: 'svc', version: '1', repository: 'r', description: 'd', backend: { maxResponseBytes: LIMIT } }),
    );
  });
  afterAll(async () => {
    await client.onApplicationShutdown();
    await server.close();
  });

  const get = (path: string, deadline = new CallDeadline(10_000, 'The backend')) =>
    client.follow({ method: 'GET', url: new URL(path, origin), headers: {} }, { deadline });

  it('reads a body of declared length up to the limit', async () => {
    const res = await get('/declared');
    expect(res.bytes).toEqual(Buffer.alloc(LIMIT, 'd'));
  });

  it('reads a body of unknown length within the limit', async () => {
    const res = await get('/chunked');
    expect(res.bytes).toEqual(Buffer.concat([CHUNK, CHUNK]));
  });

  it('refuses a declared length above the limit with a 502', async () => {
    const error = await get('/declared-too-large').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).toDict()).toEqual({
      reason: 'Bad Gateway',
      status_code: 502,
      error_content: `The answer of the backend is larger than ${LIMIT} bytes. (request none)`,
    });
  });

  it('stops reading a body of unknown length once it passes the limit, before the backend sent it all', async () => {
    const error = await get('/huge').catch((caught: unknown) => caught);
    expect((error as BackendError).statusCode).toBe(502);
    expect((error as BackendError).content).toBe(`The answer of the backend is larger than ${LIMIT} bytes. (request none)`);
    expect(sent.finished).toBe(false);
    expect(sent.bytes).toBeLessThan(HUGE_CHUNKS * CHUNK.length);
  });

  it('ends a request whose body does not come in time with a 504, and closes its connection', async () => {
    const deadline = new CallDeadline(150, 'The backend');
    const error = await get('/slow', deadline).catch((caught: unknown) => caught);
    expect((error as BackendError).statusCode).toBe(504);
    expect((error as BackendError).content).toBe('The backend did not answer within 150 ms.');
    // The next call is served on a fresh connection: the aborted one did not stay in the pool half read.
    expect((await get('/chunked')).bytes.length).toBe(2 * CHUNK.length);
  });

  it("ends a request with the caller's reason when the caller aborts it mid-answer", async () => {
    const caller = new AbortController();
    const pending = get('/slow', new CallDeadline(10_000, 'The backend', caller.signal)).catch((caught: unknown) => caught);
    setTimeout(() => caller.abort('caller went away'), 50);
    expect(await pending).toBe('caller went away');
  });
});

describe('BackendHttpClient and requests undici refuses', () => {
  const CONNECTIONS = 2;
  let server: LoopbackServer;
  let client: BackendHttpClient;
  /** Answers held back until released: a connection kept busy. */
  const held: Array<() => void> = [];

  beforeAll(async () => {
    server = await startLoopbackServer(
      '127.0.0.1',
      async (req, res) => {
        const reply = () => res.end(`${req.method} ${req.url}`);
        if (req.url === '/held') held.push(reply);
        else reply();
      },
      () => false,
    );
    client = new BackendHttpClient(
      resolveApiKitOptions({ name: 'svc', version: '1', repository: 'r', description: 'd', backend: { keepAlive: { connectionsPerOrigin: CONNECTIONS } } }),
    );
  });
  afterAll(async () => {
    await client.onApplicationShutdown();
    await server.close();
  });

  // Hops as the builder would never make them: what reaches the client must not wedge it all the same.
  const send = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    client.follow({ method, url: new URL(path, server.url), headers }, { deadline: new CallDeadline(1000, 'The backend') });

  it('fails each refused request with a 502 at once and keeps its connections usable', async () => {
    const refused: Array<[Record<string, string>, string]> = [
      [{ 'transfer-encoding': 'chunked' }, 'UND_ERR_INVALID_ARG'],
      [{ 'x-tag': 'snow\u2603man' }, 'UND_ERR_INVALID_ARG'],
      [{ expect: '100-continue' }, 'UND_ERR_NOT_SUPPORTED'],
    ];
    // Many more refusals than connections: each used to leave one connection waiting for a 'drain' that never came.
    const errors: unknown[] = [];
    for (let round = 0; round < 5 * CONNECTIONS; round++) {
      for (const [headers] of refused) errors.push(await send('/bad', headers).catch((caught: unknown) => caught));
    }
    const answers = await Promise.all(Array.from({ length: 2 * CONNECTIONS }, (_, n) => send(`/good/${n}`)));
    expect(answers.map((res) => res.text())).toEqual(Array.from({ length: 2 * CONNECTIONS }, (_, n) => `GET /good/${n}`));
    expect(errors.map((error) => (error as BackendError).toDict())).toEqual(
      errors.map((_, n) => ({
        reason: 'Bad Gateway',
        status_code: 502,
        error_content: `The request to the backend was refused before it was sent (${refused[n % refused.length][1]}). (request none)`,
      })),
    );
  });

  it('waits for a request undici queued because every connection was busy (its dispatch() returned false)', async () => {
    const busy = Array.from({ length: CONNECTIONS }, () => send('/held'));
    while (held.length < CONNECTIONS) await new Promise((resolve) => setTimeout(resolve, 5));
    const queued = send('/queued');
    held.splice(0).forEach((reply) => reply());
    expect((await queued).text()).toBe('GET /queued');
    expect((await Promise.all(busy)).map((res) => res.status)).toEqual(Array(CONNECTIONS).fill(200));
  });
});
