import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
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
});
