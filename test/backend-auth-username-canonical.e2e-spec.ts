import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';

const PASSWORD = 'alice-pw';
const NOT_CANONICAL = 'Malformed Basic credentials: the username is not a GitHub login or an email address.';

/**
 * Variants of one login that a lenient parser turns into identities (and throttle buckets) of their own,
 * each a fresh budget of guesses against the same GitHub account.
 */
const VARIANTS: Array<[what: string, username: string]> = [
  ['a leading space', ' alice'],
  ['a trailing space', 'alice '],
  ['a zero-width space', 'ali\u200bce'],
  ['a Cyrillic a', '\u0430lice'],
  ['a no-break space', 'alice\u00a0'],
];

describe.each(ADAPTERS)('bitly-proxy usernames on %s: a GitHub login or an email address, nothing else', (_name, createAdapter) => {
  let stack: SimulatedStack;
  let app: INestApplication;
  const call = (username: string, password = PASSWORD) =>
    request(app.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic(username, password));
  /** Every password GitHub was shown, accepted or refused. */
  const passwordPosts = () => stack.stats.logins() + stack.stats.failedLogins();

  beforeAll(async () => {
    stack = await startSimulatedStack({ users: [{ login: 'alice', password: PASSWORD }] });
    app = await createProxyApp(createAdapter, stack);
  });
  afterAll(async () => {
    await app?.close();
    await stack?.stop();
  });

  it.each(VARIANTS)('answers 401 to a username with %s without asking GitHub, and without echoing it', async (_what, username) => {
    const before = passwordPosts();
    const res = await call(username);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ reason: 'Unauthorized', status_code: 401, error_content: NOT_CANONICAL });
    expect(res.headers['www-authenticate']).toBe('Basic realm="backend-auth-test"');
    expect(passwordPosts()).toBe(before);
    expect(stack.stats.backendRequests()).toBe(0);
  });

  it('still logs in a GitHub login, and hands an email address to GitHub as given', async () => {
    expect((await call('alice')).status).toBe(200);
    const res = await call('alice@example.org', 'not-alice-pw');
    expect(res.status).toBe(401);
    expect(res.body.error_content).toBe('GitHub refused the username or password.');
    expect(stack.stats.failedLogins('alice@example.org')).toBe(1);
  });
});
