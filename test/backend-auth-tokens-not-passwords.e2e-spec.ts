// Tokens are not passwords (issue 22, point 6): a GitHub token or a JWT sent as the Basic password of a
// bitly-proxy service is refused before GitHub, where it would only count as a failed sign-in.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, CapturingLogger, createBackendAuthApp, createProxyApp, startPlainBackend } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const base62 = (length: number): string => Array.from(randomBytes(length), (byte) => BASE62[byte % 62]).join('');
const base64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** GitHub's formats (prefix, 30 random base62 characters and a 6-character checksum; fine-grained: 22 + `_` + 59) and a JWT. */
const TOKENS: Array<[kind: string, token: string]> = [
  ...['ghp', 'gho', 'ghu', 'ghs', 'ghr'].map((prefix): [string, string] => [`${prefix}_`, `${prefix}_${base62(36)}`]),
  ['github_pat_', `github_pat_${base62(22)}_${base62(59)}`],
  ['a JWT', `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url({ sub: 'alice', iss: 'https://token.actions.githubusercontent.com' })}.${randomBytes(32).toString('base64url')}`],
];

describe.each(ADAPTERS)('tokens sent as GitHub passwords, on %s', (_name, createAdapter) => {
  let stack: SimulatedStack;
  let app: INestApplication;
  const logger = new CapturingLogger();
  const call = (password: string) => request(app.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic('alice', password));

  beforeAll(async () => {
    stack = await startSimulatedStack({ users: [{ login: 'alice', password: 'alice-real-pw' }] });
    app = await createProxyApp(createAdapter, stack, { logger });
  });
  afterAll(async () => {
    await app?.close();
    await stack?.stop();
  });

  it.each(TOKENS)('answers 401 to %s as the password, naming what works instead, and sends GitHub nothing', async (_kind, token) => {
    stack.stats.reset();
    const res = await call(token);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect(res.body.error_content).toBe(
      "This service needs your GitHub password, not a token: tokens work with oauth2-proxy's --skip-jwt-bearer-tokens (JWTs) " +
        'or the basic type behind --htpasswd-file.',
    );
    expect([stack.stats.failedLogins(), stack.stats.logins(), stack.stats.peakGithubRequestsInFlight]).toEqual([0, 0, 0]);
    expect(`${res.text}${JSON.stringify(res.headers)}${logger.lines.join('\n')}`).not.toContain(token);
  });

  it('still sends GitHub a password that only begins like a token', async () => {
    stack.stats.reset();
    expect((await call('ghp_hunter2')).status).toBe(401);
    expect(stack.stats.failedLogins('alice')).toBe(1);
    expect((await call('alice-real-pw')).status).toBe(200);
  });

  it('forwards a token unchanged with auth type basic, whose backend decides', async () => {
    const backend = await startPlainBackend();
    const basicApp = await createBackendAuthApp(createAdapter, { auth: { type: 'basic', data: {} }, backendUrl: backend.url });
    try {
      const [, token] = TOKENS[0];
      const res = await request(basicApp.getHttpServer()).get('/t/whoami').set('Authorization', basic('alice', token));
      expect(res.status).toBe(200);
      expect(backend.seen.at(-1)?.authorization).toBe(basic('alice', token));
    } finally {
      await basicApp.close();
      await backend.stop();
    }
  });
});
