// The strategy's decisions on a live session, against a real loopback server standing for the proxy and its backend
// (one origin, as behind a front), with the real HTTP client and jar; the pool is a recorder of what it is asked.
// Attacker's review of b794aa8: the <prefix>auth probe had a time-out of its own, so neither the call's timeoutMs nor
// the caller's abort bounded it, and a 431 two calls met together was retried by one of them only.
import { Logger } from '@nestjs/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BackendError } from '../../errors/backend-error.js';
import { resolveApiKitOptions } from '../../options/apikit-options.resolver.js';
import { BackendHttpClient } from '../http/backend-http.client.js';
import { CallDeadline } from '../http/call-deadline.js';
import { ProxySessionJar } from '../login/proxy-session.jar.js';
import type { ProxySessionPool } from '../pool/proxy-session.pool.js';
import type { CallerContext } from '../context/caller-context.storage.js';
import { BitlyProxyAuthStrategy } from './bitly-proxy-auth.strategy.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('BitlyProxyAuthStrategy on a live session', () => {
  let server: Server;
  let origin: string;
  let handle: Handler;
  let client: BackendHttpClient | undefined;
  let jar: ProxySessionJar;
  const asked: string[] = [];
  /** What the server was sent, in order. */
  const seen: Array<{ call: string; body: string }> = [];

  const newJar = (backendCookies: string[] = [], maxAgeSeconds = 3600): ProxySessionJar => {
    const fresh = new ProxySessionJar(new URL(`${origin}/oauth2/start`));
    fresh.store([`_oauth2_proxy=s1; Path=/; Max-Age=${maxAgeSeconds}`], new URL(`${origin}/oauth2/callback`));
    if (backendCookies.length > 0) fresh.store(backendCookies, new URL(`${origin}/api/x`));
    return fresh;
  };
  const pool = {
    acquire: () => jar,
    adoptFresherShared: () => Promise.resolve(false),
    mayLogInAgain: () => (asked.push('mayLogInAgain'), Promise.resolve(true)),
    invalidate: () => (asked.push('invalidate'), (jar = newJar())),
  } as unknown as ProxySessionPool;
  const strategy = (connectionsPerOrigin = 8): BitlyProxyAuthStrategy => {
    const options = resolveApiKitOptions({
      name: 'strategy-spec',
      version: '1.0.0',
      repository: 'https://github.com/example/strategy-spec',
      description: 'The strategy spec',
      auth: { type: 'bitly-proxy', data: { endpoint: `${origin}/oauth2/start` } },
      backend: { keepAlive: { connectionsPerOrigin } },
    });
    client = new BackendHttpClient(options);
    return new BitlyProxyAuthStrategy(client, pool, options);
  };
  const caller = { credentials: { username: 'u', password: 'p' }, requestId: 'r1' } as unknown as CallerContext;
  const get = (path: string) => ({ method: 'GET', url: new URL(`${origin}${path}`), headers: {} as Record<string, string> });
  const outcomeOf = (call: Promise<{ status: number }>) =>
    call.then(
      (answer) => `answer ${answer.status}`,
      (error: Error) => `error ${error instanceof BackendError ? error.statusCode : error.message}`,
    );
  /** The proxy's 401 `{}`, which a backend can answer too. */
  const refusal = (res: ServerResponse) => res.writeHead(401, { 'content-type': 'application/json' }).end('{}');

  beforeAll(async () => {
    Logger.overrideLogger(false);
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen.push({ call: `${req.method} ${req.url}`, body: Buffer.concat(chunks).toString() });
        handle(req, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await client?.onApplicationShutdown();
    asked.length = 0;
    seen.length = 0;
  });
  afterAll(async () => {
    Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']);
    await new Promise((resolve) => server.close(resolve));
  });

  it("ends the call at its own time-out while the proxy's <prefix>auth is slow: a 504, nothing spent", async () => {
    jar = newJar();
    handle = (req, res) => (req.url === '/oauth2/auth' ? void setTimeout(() => res.writeHead(202).end(), 1_500) : refusal(res));
    const deadline = new CallDeadline(300, 'The backend');
    const outcome = await outcomeOf(strategy().send(get('/api/x'), caller, deadline));
    deadline.dispose();
    expect({ outcome, asked }).toEqual({ outcome: 'error 504', asked: [] });
  });

  it("ends the call when the caller goes while <prefix>auth is asked: the caller's reason, nothing spent", async () => {
    jar = newJar();
    handle = (req, res) => (req.url === '/oauth2/auth' ? void setTimeout(() => res.writeHead(202).end(), 1_500) : refusal(res));
    const gone = new AbortController();
    const deadline = new CallDeadline(5_000, 'The backend', gone.signal);
    setTimeout(() => gone.abort(new Error('caller gone')), 100);
    const outcome = await outcomeOf(strategy().send(get('/api/x'), caller, deadline));
    deadline.dispose();
    expect({ outcome, asked }).toEqual({ outcome: 'error caller gone', asked: [] });
  });

  it('acts on a refusal the proxy means though its answer waited behind another call on the one connection', async () => {
    jar = newJar();
    let refusedOnce = false;
    handle = (req, res) => {
      if (req.url === '/oauth2/auth') return void res.writeHead(401).end();
      if (req.url === '/api/slow') return void setTimeout(() => res.writeHead(200).end('late'), 1_500);
      if (refusedOnce) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      refusedOnce = true;
      refusal(res);
    };
    const send = strategy(1);
    const deadlines = [new CallDeadline(5_000, 'The backend'), new CallDeadline(5_000, 'The backend')];
    const [outcome] = await Promise.all([outcomeOf(send.send(get('/api/x'), caller, deadlines[0])), outcomeOf(send.send(get('/api/slow'), caller, deadlines[1]))]);
    for (const deadline of deadlines) deadline.dispose();
    expect({ outcome, asked }).toEqual({ outcome: 'answer 200', asked: ['mayLogInAgain', 'invalidate'] });
  });

  it('retries each of two calls a 431 met together once, without the cookies beside the session, and logs in for none', async () => {
    jar = newJar([`big=${'x'.repeat(4_000)}; Path=/`]);
    handle = (req, res) => {
      const tooLarge = /(?:^|; )big=/.test(req.headers.cookie ?? '');
      setTimeout(() => (tooLarge ? res.writeHead(431).end() : res.writeHead(200).end('ok')), 50);
    };
    const send = strategy();
    const deadlines = [new CallDeadline(3_000, 'The backend'), new CallDeadline(3_000, 'The backend')];
    const outcomes = await Promise.all(deadlines.map((deadline) => outcomeOf(send.send(get('/api/x'), caller, deadline))));
    for (const deadline of deadlines) deadline.dispose();
    expect({ outcomes, asked, cookies: jar.cookieHeader(new URL(`${origin}/api/x`)) }).toEqual({ outcomes: ['answer 200', 'answer 200'], asked: [], cookies: '_oauth2_proxy=s1' });
  });

  // Attacker's review of 8ec9645: both retries started the call again from its first hop, so a POST the backend had
  // carried out (answered 303, Post/Redirect/Get) was sent, and carried out, twice.
  const post = (path: string, body: Buffer) => ({
    method: 'POST',
    url: new URL(`${origin}${path}`),
    headers: { 'content-type': 'application/json', 'content-length': String(body.length) } as Record<string, string>,
    body,
  });

  it('sends a POST its backend answered 303 once, when a 431 meets the GET the 303 led to', async () => {
    jar = newJar();
    handle = (req, res) => {
      if ((req.headers.cookie ?? '').length > 2_000) return void res.writeHead(431).end();
      // A flash message for the result page only, which takes its GET past the backend's header limit.
      if (req.method === 'POST') return void res.writeHead(303, { location: '/api/orders/1', 'set-cookie': `flash=${'f'.repeat(3_000)}; Path=/api/orders/1` }).end();
      res.writeHead(200).end('{}');
    };
    const deadline = new CallDeadline(3_000, 'The backend');
    const outcome = await outcomeOf(strategy().send(post('/api/orders', Buffer.from('{"item":"book"}')), caller, deadline));
    deadline.dispose();
    expect({ outcome, calls: seen.map(({ call }) => call), asked }).toEqual({ outcome: 'answer 431', calls: ['POST /api/orders', 'GET /api/orders/1'], asked: [] });
  });

  it('sends a POST its backend answered 303 once, when the proxy refuses the session at the GET the 303 led to: the next call logs in', async () => {
    jar = newJar();
    let sessionEnded = false;
    handle = (req, res) => {
      if (req.url === '/oauth2/auth') return void res.writeHead(sessionEnded ? 401 : 202).end();
      if (req.method === 'POST') {
        sessionEnded = true; // the proxy's session ends while the answer is on its way
        return void res.writeHead(303, { location: '/api/orders/1' }).end();
      }
      if (sessionEnded) return refusal(res);
      res.writeHead(200).end('{}');
    };
    const deadline = new CallDeadline(3_000, 'The backend');
    const outcome = await outcomeOf(strategy().send(post('/api/orders', Buffer.from('{"item":"book"}')), caller, deadline));
    deadline.dispose();
    expect({ outcome, posts: seen.filter(({ call }) => call.startsWith('POST')).length, asked }).toEqual({ outcome: 'answer 401', posts: 1, asked: ['mayLogInAgain', 'invalidate'] });
  });

  // Attacker's review of 3bdaf06: "redirected" was read from the answer's URL, so a 303 back to the POST's own URL (the
  // usual Post/Redirect/Get) looked like a first-hop answer and the POST was carried out twice.
  it('sends a POST once when its 303 leads back to its own URL and a 431 or the proxy refusal meets the GET there', async () => {
    const orders: number[] = [];
    for (const ending of ['431', 'refusal'] as const) {
      jar = newJar();
      let posts = 0;
      let sessionEnded = false;
      handle = (req, res) => {
        if (req.url === '/oauth2/auth') return void res.writeHead(sessionEnded ? 401 : 202).end();
        if (ending === '431' && (req.headers.cookie ?? '').length > 2_000) return void res.writeHead(431).end();
        if (req.method === 'POST') {
          posts += 1;
          sessionEnded = ending === 'refusal';
          const flash = ending === '431' ? { 'set-cookie': `flash=${'f'.repeat(3_000)}; Path=/api/orders` } : {};
          return void res.writeHead(303, { location: '/api/orders', ...flash }).end();
        }
        if (sessionEnded) return refusal(res);
        res.writeHead(200).end('{}');
      };
      const deadline = new CallDeadline(3_000, 'The backend');
      await outcomeOf(strategy().send(post('/api/orders', Buffer.from('{"item":"book"}')), caller, deadline));
      deadline.dispose();
      await client?.onApplicationShutdown();
      client = undefined;
      orders.push(posts);
    }
    expect(orders).toEqual([1, 1]);
  });

  // Attacker's review of 9c3b2d9: once the session's cookie had expired, any 401, 403 or HTML 200 read as the proxy's
  // refusal, so a POST the backend carried out and answered just after the expiry was sent, and carried out, again.
  it.each([
    ['a 200 HTML page', (res: ServerResponse) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<p>Order placed</p>')],
    ['its own 403', (res: ServerResponse) => void res.writeHead(403, { 'content-type': 'text/html' }).end('<p>Out of stock</p>')],
  ])("sends a POST once when the backend answers it with %s after the session's cookie expired", async (_what, answer) => {
    jar = newJar([], 1);
    handle = (req, res) => (req.method === 'POST' && seen.length === 1 ? void setTimeout(() => answer(res), 1_200) : answer(res));
    const deadline = new CallDeadline(3_000, 'The backend');
    await outcomeOf(strategy().send(post('/api/orders', Buffer.from('{"item":"book"}')), caller, deadline));
    deadline.dispose();
    expect({ posts: seen.filter(({ call }) => call.startsWith('POST')).length, asked }).toEqual({ posts: 1, asked: [] });
  });

  it("sends a POST once more after a login when the proxy refuses it (401 {}) as the session's cookie expires", async () => {
    jar = newJar([], 1);
    handle = (req, res) => (seen.length === 1 ? void setTimeout(() => refusal(res), 1_200) : void res.writeHead(201).end('made'));
    const deadline = new CallDeadline(3_000, 'The backend');
    const outcome = await outcomeOf(strategy().send(post('/api/orders', Buffer.from('{"item":"book"}')), caller, deadline));
    deadline.dispose();
    expect({ outcome, posts: seen.length, asked }).toEqual({ outcome: 'answer 201', posts: 2, asked: ['invalidate'] });
  });

  it('sends a POST a 431 refused at its first hop once more, byte for byte, with the session alone', async () => {
    jar = newJar([`big=${'x'.repeat(3_000)}; Path=/`]);
    handle = (req, res) => ((req.headers.cookie ?? '').length > 2_000 ? res.writeHead(431).end() : res.writeHead(201).end('made'));
    const body = Buffer.from('{"a":"\u00e9\u00e8","n":1}');
    const deadline = new CallDeadline(3_000, 'The backend');
    const outcome = await outcomeOf(strategy().send(post('/api/x', body), caller, deadline));
    deadline.dispose();
    expect({ outcome, seen, asked }).toEqual({ outcome: 'answer 201', seen: [1, 2].map(() => ({ call: 'POST /api/x', body: body.toString() })), asked: [] });
  });
});
