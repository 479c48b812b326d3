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
  if (path === '/declared') {
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

  const get = (path: string) =>
    client.follow({ method: 'GET', url: new URL(path, origin), headers: {} }, { deadline: new CallDeadline(10_000, 'The backend') });

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
});
