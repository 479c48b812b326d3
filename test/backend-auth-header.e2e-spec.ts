import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { BitlyProxySession } from '../lib/index.js';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, CapturingLogger, createBackendAuthApp, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** [what, Authorization header or undefined, expected error_content]. */
const REFUSED: Array<[string, string | undefined, RegExp]> = [
  ['missing', undefined, /^No authorization provided\.$/],
  ['empty', '', /^No authorization provided\.$/],
  ['another scheme', 'Bearer abc.def.ghi', /scheme/],
  ['a scheme without credentials', 'Basic', /none given/],
  ['bad base64', 'Basic !!!notbase64***', /base64/],
  ['truncated base64', 'Basic YWJj=', /base64/],
  ['no colon', `Basic ${b64('justauser')}`, /no ':'/],
  ['an empty username', `Basic ${b64(':password')}`, /username is empty/],
  ['invalid UTF-8', `Basic ${Buffer.from([0x61, 0x3a, 0xff, 0xfe]).toString('base64')}`, /UTF-8/],
  ['control characters in the credentials', `Basic ${b64('us\ner:pw')}`, /control characters/],
  ['a C1 control in the username', `Basic ${b64('us\u0085er:pw')}`, /username contains control or bidi characters/],
  ['a line separator in the username', `Basic ${b64('us\u2028er:pw')}`, /username contains control or bidi characters/],
  ['a bidi override in the username', `Basic ${b64('admin\u202egnp.exe:pw')}`, /username contains control or bidi characters/],
  ['an oversized header', `Basic ${b64(`user:${'x'.repeat(5000)}`)}`, /longer than 4096/],
];

describe.each(ADAPTERS)('Authorization header handling on %s', (_name, createAdapter) => {
  let stack: SimulatedStack;
  let app: INestApplication;

  beforeAll(async () => {
    stack = await startSimulatedStack();
    app = await createProxyApp(createAdapter, stack);
  });
  afterAll(async () => {
    await app?.close();
    await stack?.stop();
  });

  it.each(REFUSED)('answers 401 with a WWW-Authenticate challenge for %s', async (_what, header, content) => {
    const req = request(app.getHttpServer()).get('/t/metric/j/m');
    const res = await (header === undefined ? req : req.set('Authorization', header));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="backend-auth-test"');
    expect(res.body).toEqual({ reason: 'Unauthorized', status_code: 401, error_content: expect.stringMatching(content) });
    if (header && header.length > 10) expect(JSON.stringify(res.body)).not.toContain(header.slice(6, 30));
    expect(stack.stats.backendRequests()).toBe(0);
  });

  it('accepts the scheme name in any case', async () => {
    const res = await request(app.getHttpServer()).get('/t/metric/j/m').set('Authorization', basic('demo', 'demo').replace('Basic', 'bAsIc'));
    expect(res.status).toBe(200);
  });

  it('refuses two Authorization headers with 400 (node keeps only the first in req.headers)', async () => {
    stack.stats.reset();
    // superagent passes an array to node's setHeader, which sends one header line per value.
    const twice = [basic('demo', 'demo'), basic('admin', 'x')] as unknown as string;
    const res = await request(app.getHttpServer()).get('/t/metric/j/m').set('Authorization', twice);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ reason: 'Bad Request', status_code: 400, error_content: 'More than one Authorization header was sent.' });
    expect(stack.stats.backendRequests()).toBe(0);
  });

  it('answers 401, not 500, for a service named beyond Latin-1: an ASCII realm and its exact form (RFC 8187)', async () => {
    const named = await createProxyApp(createAdapter, stack, { name: 'mesures ☕ café' });
    try {
      const res = await request(named.getHttpServer()).get('/t/metric/j/m');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(`Basic realm="mesures ? caf?", realm*=UTF-8''mesures%20%E2%98%95%20caf%C3%A9, charset="UTF-8"`);
    } finally {
      await named.close();
    }
  });

  it('warns once per origin that basic credentials travel in clear to a plain-http backend that is not loopback', async () => {
    const logger = new CapturingLogger();
    const basicApp = await createBackendAuthApp(createAdapter, { auth: { type: 'basic', data: {} }, backendUrl: 'http://127.0.0.1:9', logger });
    try {
      const caller = basicApp.get(BitlyProxySession).as({ username: 'u', password: 'p' });
      // Aborted before any byte is sent: the warning is the library's, no network needed.
      for (let i = 0; i < 2; i++) await expect(caller.get('http://backend.example.org/api', { signal: AbortSignal.abort('stop') })).rejects.toBe('stop');
      await expect(caller.get('http://127.0.0.1:9/api', { signal: AbortSignal.abort('stop') })).rejects.toBe('stop');
      const warnings = logger.events.filter((line) => line.event === 'auth.clear_text');
      expect(warnings).toEqual([expect.objectContaining({ level: 'warn', origin: 'http://backend.example.org' })]);
    } finally {
      await basicApp.close();
    }
  });
});
