import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import request from 'supertest';
import { simulatedBackendHandler, startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';
import { passwordFormPage, type RecordingServer, startRecordingServer } from './fixtures/recording-server.fixture.js';

/** The default cookie caps (`backend.cookies.maxPerSession` / `.maxHeaderBytes`). */
const MAX_COOKIES = 32;
const MAX_COOKIE_HEADER_BYTES = 8192;

describe.each(ADAPTERS)('bitly-proxy login hardening on %s', (_name, createAdapter) => {
  let userCount = 0;
  const newLogin = (): string => `hard${++userCount}`;
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function proxyApp(stack: SimulatedStack, options: Parameters<typeof createProxyApp>[2] = {}): Promise<INestApplication> {
    const app = await createProxyApp(createAdapter, stack, options);
    cleanups.push(() => app.close());
    return app;
  }
  async function simulatedStack(options: Parameters<typeof startSimulatedStack>[0] = {}): Promise<SimulatedStack> {
    const stack = await startSimulatedStack({ users: [], ...options });
    cleanups.push(() => stack.stop());
    return stack;
  }
  const get = (app: INestApplication, login: string, password: string, path = '/t/metric/job/metric') =>
    request(app.getHttpServer()).get(path).set('Authorization', basic(login, password));

  describe("GitHub's cookies kept for an identity's next login", () => {
    it('carry no web session from a login that stopped on the authorize page: the next login shows GitHub the password', async () => {
      const stack = await simulatedStack();
      const app = await proxyApp(stack);
      const login = newLogin();
      stack.addUser({ login, password: 'old-pw' });
      expect((await get(app, login, 'old-pw')).status).toBe(200); // the identity now has a kept GitHub jar
      stack.expireSessions();
      stack.faults.oauthAppAuthorizationPage = true;
      // The re-login signs in to GitHub (its web session lands in the login's jar), then stops on the authorize page.
      expect((await get(app, login, 'old-pw')).status).toBe(502);
      // It went through the web session kept from the completed login (no password) and stopped short of signing the app in.
      expect([stack.stats.logins(login), stack.stats.passwordPosts(login)]).toEqual([1, 1]);
      stack.faults.oauthAppAuthorizationPage = false;
      stack.addUser({ login, password: 'new-pw' }); // the password changed on GitHub: 'old-pw' is wrong now

      const stale = await get(app, login, 'old-pw');
      expect([stale.status, stale.body.error_content]).toEqual([401, 'GitHub refused the username or password.']);
      expect(stack.stats.failedLogins(login)).toBe(1); // the password was posted, and refused
      expect(stack.stats.passwordPosts(login)).toBe(2);
      expect((await get(app, login, 'new-pw')).status).toBe(200);
    });
  });

  describe('links on GitHub pages', () => {
    /** A GitHub that shows a security-key page whose "use your authenticator app" link points at `elsewhere`. */
    async function hostileGitHub(elsewhere: string): Promise<RecordingServer> {
      const github = await startRecordingServer((res: ServerResponse, req) => {
        const path = new URL(req.url, 'http://x').pathname;
        if (req.method === 'GET' && path === '/login') return html(res, passwordFormPage('/session'));
        if (req.method === 'POST' && path === '/session') return void res.writeHead(302, { location: '/sessions/two-factor/webauthn' }).end();
        html(res, `<!DOCTYPE html><title>Two-factor authentication</title><h1>Use your security key</h1>
          <ul><li><a href="${elsewhere}/sessions/two-factor/app">Use your authenticator app</a></li></ul>`);
      });
      cleanups.push(() => github.close());
      return github;
    }

    it("follows the authenticator-app link only on backend.githubUrl's origin: elsewhere the login stops (502), nothing sent", async () => {
      const elsewhere = await startRecordingServer();
      cleanups.push(() => elsewhere.close());
      const github = await hostileGitHub(elsewhere.url);
      const stack = await simulatedStack();
      stack.faults.startRedirect = `${github.url}/login`;
      const app = await proxyApp(stack, { backend: { githubUrl: github.url } });

      const res = await get(app, newLogin(), 'pw');
      expect(res.status).toBe(502);
      expect(res.body.error_content).toMatch(/^A link of GitHub's page leads outside backend\.githubUrl; it was not followed\. \(request [\w-]+\)$/);
      expect(github.received.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /login', 'POST /session', 'GET /sessions/two-factor/webauthn']);
      expect(elsewhere.received).toEqual([]);
    });
  });

  describe('split session cookies', () => {
    it.each([false, true])(
      "take <name>_<n> parts from the proxy's callback only: a backend setting _1.._40 and more stays within the caps (split %s)",
      async (splitSessionCookie) => {
        const cookieHeaders: string[] = [];
        // The backend sets 40 session-like parts of 200 bytes on every answer, beside the flood fault's cookies.
        const backendHandler = (req: IncomingMessage, res: ServerResponse, ctx: Parameters<typeof simulatedBackendHandler>[2]) => {
          cookieHeaders.push(req.headers.cookie ?? '');
          const parts = Array.from({ length: 40 }, (_, i) => `_oauth2_proxy_${i + 1}=${'p'.repeat(200)}; Path=/; Max-Age=86400`);
          res.setHeader('set-cookie', [...[res.getHeader('set-cookie') ?? []].flat().map(String), ...parts]);
          return simulatedBackendHandler(req, res, ctx);
        };
        const stack = await simulatedStack({ splitSessionCookie, backendHandler });
        const app = await proxyApp(stack);
        const login = newLogin();
        stack.addUser({ login, password: 'pw' });
        stack.faults.backendSetCookies = 20;
        for (let i = 0; i < 10; i++) expect((await get(app, login, 'pw')).status).toBe(200);

        const last = cookieHeaders.at(-1)!;
        const names = last.split('; ').map((cookie) => cookie.slice(0, cookie.indexOf('=')));
        expect(names.length).toBeLessThanOrEqual(MAX_COOKIES);
        expect(Buffer.byteLength(last)).toBeLessThanOrEqual(MAX_COOKIE_HEADER_BYTES);
        expect(names.filter((name) => /^_oauth2_proxy_\d+$/.test(name))).toEqual(splitSessionCookie ? ['_oauth2_proxy_0', '_oauth2_proxy_1'] : []);
        expect(stack.stats.logins(login)).toBe(1); // the session the proxy set kept working throughout
        expect(stack.stats.backendRequests(login)).toBe(10);
      },
    );
  });
});

function html(res: ServerResponse, body: string): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
}
