// Login safety, attacks on where the password and the session go (issue: passwords only ever reach
// GitHub, no SSRF): each case sets a hostile behaviour of the simulated stack and shows the defence.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startSimulatedStack, type SimulatedBackendHandler, type SimulatedStack } from '../lib/testing/index.js';
import { basic, CapturingLogger, createProxyApp, echoingBackendHandler } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';
import { LOOPBACK_TLS } from './fixtures/loopback-tls.fixture.js';
import { passwordFormPage, type RecordingServer, startRecordingServer } from './fixtures/recording-server.fixture.js';

const PASSWORD = 'pw-0f7c1e-canary';

/** The backend of these tests also answers `/cookies` with the names of the cookies it received. */
const cookieTellingBackend: SimulatedBackendHandler = (req, res, ctx) => {
  if (req.url !== '/cookies') return echoingBackendHandler(req, res, ctx);
  const names = String(req.headers.cookie ?? '').split(/;\s*/).filter(Boolean).map((pair) => pair.split('=')[0]);
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(names));
};

describe.each(ADAPTERS)('where the password and the session go, on %s', (_name, createAdapter) => {
  let stack: SimulatedStack;
  let app: INestApplication;
  let thief: RecordingServer;
  const logger = new CapturingLogger();
  let userCount = 0;

  /** A fresh account per case: no pooled session or throttle carries over. */
  const newUser = (): string => {
    const login = `user${++userCount}`;
    stack.addUser({ login, password: PASSWORD });
    return login;
  };
  const call = (login: string, path = '/t/metric/job/metric') => request(app.getHttpServer()).get(path).set('Authorization', basic(login, PASSWORD));

  beforeAll(async () => {
    thief = await startRecordingServer((res) => res.writeHead(200, { 'content-type': 'text/html' }).end(passwordFormPage('/steal')));
    stack = await startSimulatedStack({ users: [], backendHandler: cookieTellingBackend });
    app = await createProxyApp(createAdapter, stack, { logger });
  });
  afterAll(async () => {
    await app?.close();
    await stack?.stop();
    await thief?.close();
  });
  afterEach(() => {
    Object.assign(stack.faults, { loginFormAction: undefined, passwordPostRedirect: undefined, startRedirect: undefined, backendRedirect: undefined });
    thief.received.length = 0;
  });

  /** A refused login: 502, nothing reached the thief, and the body names none of our internal addresses. */
  async function expectRefused(login: string, content: RegExp): Promise<void> {
    const res = await call(login);
    expect(res.status).toBe(502);
    expect(res.body.error_content).toMatch(content);
    expect(res.body.error_content).toMatch(/\(request [\w-]+\)$/);
    for (const url of [thief.url, stack.githubUrl, stack.proxyUrl]) expect(res.text).not.toContain(new URL(url).port);
    expect(thief.received).toEqual([]);
    expect(stack.stats.logins(login) + stack.stats.failedLogins(login)).toBe(0);
  }

  it("does not post the password to a login form whose action is another origin's", async () => {
    stack.faults.loginFormAction = `${thief.url}/session`;
    await expectRefused(newUser(), /^GitHub's form posts outside backend\.githubUrl; the password was not sent\./);
  });

  it('answers a login form whose action is no URL at all as a page it does not know, not as a crash (found by the page property)', async () => {
    const login = newUser();
    stack.faults.loginFormAction = 'http://';
    const res = await call(login);
    expect(res.status).toBe(502);
    expect(res.body.error_content).toMatch(/\(request [\w-]+\)$/);
    expect(res.text).not.toContain('Invalid URL');
    expect(stack.stats.logins(login) + stack.stats.failedLogins(login)).toBe(0);
  });

  it('does not follow a 307 that would replay the password POST to another origin', async () => {
    const login = newUser();
    stack.faults.passwordPostRedirect = `${thief.url}/steal`;
    const res = await call(login);
    expect(res.status).toBe(502);
    expect(res.body.error_content).toMatch(/^The login met a redirect that would send the request body to another origin; it was not followed\./);
    expect(thief.received).toEqual([]);
  });

  it('does not follow a login redirect outside the proxy and GitHub (a phishing page with a password form)', async () => {
    stack.faults.startRedirect = `${thief.url}/login`;
    await expectRefused(newUser(), /^The login was redirected outside the proxy and GitHub; it was not followed\./);
  });

  it('does not post the password to a password form at the start URL itself (not GitHub: e.g. the htpasswd sign-in)', async () => {
    // auth.data.endpoint pointing at a page with a password form that is not GitHub's.
    const app2 = await createProxyAppAt(`${thief.url}/oauth2/sign_in`);
    try {
      const res = await request(app2.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic(newUser(), PASSWORD));
      expect(res.status).toBe(502);
      expect(res.body.error_content).toMatch(/auth\.data\.endpoint must be the proxy's \/oauth2\/start, not its sign-in page\. The password was not sent\./);
      expect(thief.received.map((r) => r.method)).toEqual(['GET']);
      expect(thief.everything()).not.toContain(PASSWORD);
    } finally {
      await app2.close();
    }
  });

  it("returns a backend's redirect to another origin to the caller's code instead of fetching it (SSRF)", async () => {
    const login = newUser();
    expect((await call(login)).status).toBe(200);
    stack.faults.backendRedirect = `${thief.url}/latest/meta-data/iam/security-credentials/`;
    const res = await call(login);
    expect(res.status).toBe(302); // the test controller throws BackendError(res.statusText, res.status, ...)
    expect(res.text).not.toContain('secret internal data');
    expect(thief.received).toEqual([]);
  });

  it("sends the proxy and the backend the proxy's cookies only, never GitHub's web session (one host, two ports)", async () => {
    const login = newUser();
    const res = await call(login, '/t/cookies');
    expect(res.status).toBe(200);
    expect(res.body.length).toBeGreaterThan(0);
    for (const name of res.body as string[]) expect(name).toMatch(/^_oauth2_proxy/);
  });

  it('keeps a session working when the backend floods it with cookies (caps, oldest dropped first)', async () => {
    const login = newUser();
    stack.faults.backendSetCookies = 20;
    try {
      for (let i = 0; i < 40; i++) expect((await call(login)).status).toBe(200);
    } finally {
      stack.faults.backendSetCookies = 0;
    }
    expect(stack.stats.logins(login)).toBe(1);
  });

  it('logs in over https, and never follows the login from https to plain http', async () => {
    const secure = await startSimulatedStack({ users: [{ login: 'alice', password: PASSWORD }], tls: LOOPBACK_TLS });
    const secureApp = await createProxyApp(createAdapter, secure, { logger });
    try {
      expect(secure.startUrl).toMatch(/^https:/);
      const ok = await request(secureApp.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic('alice', PASSWORD));
      expect(ok.status).toBe(200);
      secure.expireSessions();
      secure.faults.startRedirect = `${thief.url}/login`;
      const res = await request(secureApp.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic('alice', PASSWORD));
      expect(res.status).toBe(502);
      expect(res.body.error_content).toMatch(/^The login met a redirect from https to plain http; it was not followed\./);
      expect(thief.received).toEqual([]);
    } finally {
      await secureApp.close();
      await secure.stop();
    }
  });

  it('never logs the password on any of these paths', () => {
    expect(logger.lines.join('\n')).not.toContain(PASSWORD);
  });

  /** The service with `auth.data.endpoint` set to `endpoint` (and the stack's GitHub as `githubUrl`). */
  function createProxyAppAt(endpoint: string): Promise<INestApplication> {
    return createProxyApp(createAdapter, { ...stack, startUrl: endpoint } as SimulatedStack, { logger });
  }
});
