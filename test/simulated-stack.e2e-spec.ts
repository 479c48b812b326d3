import { request as httpRequest, Agent } from 'node:http';
import { connect } from 'node:net';
import { Parser } from 'htmlparser2';
import { CookieJar } from 'tough-cookie';
import { simulatedMetricValue, startSimulatedStack, type SimulatedStack, type SimulatedStackOptions } from '../lib/testing/index.js';
import { startFaultRelay } from './fixtures/fault-relay.fixture.js';

/** A form as a browser sees it: where it posts and its inputs. */
interface HtmlForm {
  action: string;
  method: string;
  inputs: Array<{ name: string; type: string; value: string }>;
}

function parseForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  let current: HtmlForm | undefined;
  const parser = new Parser({
    onopentag(name, attrs) {
      if (name === 'form') {
        current = { action: attrs.action ?? '', method: (attrs.method ?? 'get').toLowerCase(), inputs: [] };
        forms.push(current);
      } else if (name === 'input' && current && attrs.name) {
        current.inputs.push({ name: attrs.name, type: (attrs.type ?? 'text').toLowerCase(), value: attrs.value ?? '' });
      }
    },
    onclosetag(name) {
      if (name === 'form') current = undefined;
    },
  });
  parser.write(html);
  parser.end();
  return forms;
}

/** A minimal browser: a real cookie jar applied at every hop, redirects followed by hand. */
class TestBrowser {
  readonly jar = new CookieJar();
  readonly visited: string[] = [];

  async request(url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const cookie = await this.jar.getCookieString(url);
    const headers: Record<string, string> = { ...init.headers, ...(cookie ? { cookie } : {}) };
    if (init.body !== undefined) headers['content-type'] ??= 'application/x-www-form-urlencoded';
    this.visited.push(url);
    const response = await fetch(url, { method: init.method ?? 'GET', body: init.body, headers, redirect: 'manual' });
    for (const setCookie of response.headers.getSetCookie()) await this.jar.setCookie(setCookie, url);
    return response;
  }

  /** Follows redirects (at most 10 hops), stopping before a URL that `stopBefore` matches. */
  async follow(
    url: string,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
    stopBefore?: (next: string) => boolean,
  ): Promise<{ response: Response; url: string; next?: string }> {
    let response = await this.request(url, init);
    for (let hop = 0; hop < 10 && response.status >= 300 && response.status < 400; hop += 1) {
      const next = new URL(response.headers.get('location') ?? '', url).toString();
      await response.arrayBuffer();
      if (stopBefore?.(next)) return { response, url, next };
      url = next;
      response = await this.request(url, { headers: init.headers });
    }
    return { response, url };
  }

  async cookieNames(url: string): Promise<string[]> {
    return (await this.jar.getCookies(url)).map((c) => c.key);
  }
}

/** The login form of a page: the form with a password input (the page also has a search form). */
function loginForm(html: string): HtmlForm | undefined {
  return parseForms(html).find((form) => form.inputs.some((input) => input.type === 'password'));
}

/** Fills the login form as a browser does: every input but buttons with its value (the honeypot empty), the credentials, the submit button. */
function filledLoginForm(form: HtmlForm, login: string, password: string, only: (type: string) => boolean = (type) => type !== 'submit'): string {
  const body = new URLSearchParams();
  for (const input of form.inputs) if (only(input.type)) body.append(input.name, input.value);
  body.set('login', login);
  body.set('password', password);
  body.set('commit', 'Sign in');
  return body.toString();
}

/** Starts the flow at the proxy and submits the GitHub login form; returns where the redirects end. */
async function logIn(stack: SimulatedStack, browser: TestBrowser, login: string, password: string, rd = '/api?metric=cpu&job=build', stopBefore?: (next: string) => boolean) {
  const page = await browser.follow(`${stack.startUrl}?rd=${encodeURIComponent(rd)}`);
  expect(page.response.status).toBe(200);
  const form = loginForm(await page.response.text());
  if (!form) throw new Error('no login form on the page');
  return browser.follow(new URL(form.action, page.url).toString(), { method: 'POST', body: filledLoginForm(form, login, password) }, stopBefore);
}

describe('simulated oauth2-proxy + GitHub stack', () => {
  let stack: SimulatedStack;
  const started: SimulatedStack[] = [];

  async function start(options?: SimulatedStackOptions): Promise<SimulatedStack> {
    const s = await startSimulatedStack(options);
    started.push(s);
    return s;
  }

  beforeEach(async () => {
    stack = await start({ users: [{ login: 'demo', password: 'demo' }, { login: 'otp-user', password: 'secret', twoFactor: true }] });
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });

  it('logs in through GitHub and reaches the backend with the proxy session cookie', async () => {
    const browser = new TestBrowser();
    const end = await logIn(stack, browser, 'demo', 'demo');

    expect(end.response.status).toBe(200);
    expect(end.response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await end.response.text()).toBe(simulatedMetricValue('build', 'cpu'));
    expect(end.url).toBe(`${stack.proxyUrl}/api?metric=cpu&job=build`);
    expect(await browser.cookieNames(stack.proxyUrl)).toContain('_oauth2_proxy');
    expect(stack.stats.logins('demo')).toBe(1);
    expect(stack.stats.logins()).toBe(1);
    expect(stack.stats.proxySessions('demo')).toBe(1);
    expect(stack.stats.backendRequests('demo')).toBe(1);
    expect(stack.stats.backendLog).toEqual([
      { user: 'demo', method: 'GET', path: '/api', url: '/api?metric=cpu&job=build' },
    ]);
    // The hops of the real flow: proxy start -> authorize -> login page -> session -> authorize -> callback -> target.
    const paths = browser.visited.map((u) => new URL(u).pathname);
    expect(paths).toEqual(['/oauth2/start', '/login/oauth/authorize', '/login', '/session', '/login/oauth/authorize', '/oauth2/callback', '/api']);
  });

  it('marks the CSRF and session cookies like oauth2-proxy (HttpOnly, Secure, Path=/, lifetimes)', async () => {
    const short = await start({ proxySessionLifetimeMs: 3_600_000 });
    const start302 = await fetch(`${short.startUrl}?rd=/x`, { redirect: 'manual' });
    expect(start302.status).toBe(302);
    const [csrf] = start302.headers.getSetCookie();
    expect(csrf).toMatch(/^_oauth2_proxy_csrf=[\w-]+; Path=\/; Expires=.+; Max-Age=900; HttpOnly; Secure$/);
    const location = new URL(start302.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(`${short.githubUrl}/login/oauth/authorize`);
    expect(location.searchParams.get('redirect_uri')).toBe(`${short.proxyUrl}/oauth2/callback`);
    expect(location.searchParams.get('scope')).toBe('user:email');
    expect(location.searchParams.get('state')).toBe(`${csrf.split(/[=;]/)[1]}:/x`);

    const browser = new TestBrowser();
    await logIn(short, browser, 'demo', 'demo', '/x', (next) => next.startsWith(`${short.proxyUrl}/oauth2/callback`)).then(async (end) => {
      const callback = await browser.request(end.next ?? '');
      const cookies = callback.headers.getSetCookie();
      expect(cookies[0]).toMatch(/^_oauth2_proxy=[\w-]+; Path=\/; Expires=.+; Max-Age=3600; HttpOnly; Secure$/);
      expect(cookies[1]).toMatch(/^_oauth2_proxy_csrf=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Secure$/);
      expect(callback.headers.get('location')).toBe('/x');
    });
  });

  it('leaves the Secure flag off when cookieSecure is false', async () => {
    const insecure = await start({ cookieSecure: false });
    const res = await fetch(insecure.startUrl, { redirect: 'manual' });
    expect(res.headers.getSetCookie()[0]).not.toMatch(/Secure/);
    const browser = new TestBrowser();
    expect((await logIn(insecure, browser, 'demo', 'demo')).response.status).toBe(200);
  });

  it('passes the user and the inbound X-Request-Id to a custom backend handler', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const custom = await start({
      users: [{ login: 'alice', password: 'pw-a' }],
      backendHandler: (req, res, ctx) => {
        seen.push({ ctx, user: req.headers['x-forwarded-user'], email: req.headers['x-forwarded-email'] });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ hello: ctx.user }));
      },
    });
    const browser = new TestBrowser();
    await logIn(custom, browser, 'alice', 'pw-a', '/');
    const res = await browser.request(`${custom.proxyUrl}/anything?x=1`, { headers: { 'x-request-id': 'req-42', 'x-forwarded-user': 'mallory' } });
    expect(await res.json()).toEqual({ hello: 'alice' });
    expect(seen.at(-1)).toEqual({ ctx: { user: 'alice', requestId: 'req-42' }, user: 'alice', email: 'alice@users.noreply.github.com' });
    expect(custom.stats.backendLog.at(-1)).toEqual({ user: 'alice', method: 'GET', path: '/anything', url: '/anything?x=1', requestId: 'req-42' });
  });

  it('answers the technote backend 400 for missing parameters and 404 for other paths', async () => {
    const browser = new TestBrowser();
    await logIn(stack, browser, 'demo', 'demo', '/');
    const missing = await browser.request(`${stack.proxyUrl}/api?metric=cpu`);
    expect(missing.status).toBe(400);
    expect(missing.headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await browser.request(`${stack.proxyUrl}/nope`)).status).toBe(404);
    expect(simulatedMetricValue('build', 'cpu')).toMatch(/^\d+\.\d{2}$/);
    expect(simulatedMetricValue('build', 'cpu')).not.toBe(simulatedMetricValue('cpu', 'build'));
  });

  it('shows the login form again with an error after a wrong password', async () => {
    const browser = new TestBrowser();
    const end = await logIn(stack, browser, 'demo', 'wrong');
    expect(end.response.status).toBe(200);
    const html = await end.response.text();
    expect(html).toContain('Incorrect username or password.');
    expect(html).not.toContain('wrong');
    expect(loginForm(html)).toBeDefined();
    expect(await browser.cookieNames(stack.githubUrl)).not.toContain('user_session');
    expect(stack.stats.failedLogins('demo')).toBe(1);
    expect(stack.stats.failedLogins()).toBe(1);
    expect(stack.stats.logins()).toBe(0);

    // Unknown accounts fail the same way, counted under the attempted login.
    await logIn(stack, new TestBrowser(), 'ghost', 'x');
    expect(stack.stats.failedLogins('ghost')).toBe(1);
  });

  it('sends a two-factor account to the two-factor challenge', async () => {
    const browser = new TestBrowser();
    const end = await logIn(stack, browser, 'otp-user', 'secret', '/api', (next) => next.includes('/sessions/two-factor'));
    expect(end.next).toBe(`${stack.githubUrl}/sessions/two-factor/app`);
    const challenge = await browser.request(end.next ?? '');
    expect(challenge.status).toBe(200);
    const html = await challenge.text();
    expect(html).toContain('Two-factor authentication');
    expect(loginForm(html)).toBeUndefined();
    expect(stack.stats.twoFactorChallenges('otp-user')).toBe(1);
    expect(stack.stats.logins()).toBe(0);
  });

  it('answers 422 when the authenticity token does not match the browser session', async () => {
    const browser = new TestBrowser();
    const page = await browser.follow(stack.startUrl);
    const form = loginForm(await page.response.text());
    const body = filledLoginForm(form!, 'demo', 'demo').replace(/authenticity_token=[^&]+/, 'authenticity_token=forged');
    const res = await browser.request(`${stack.githubUrl}/session`, { method: 'POST', body });
    expect(res.status).toBe(422);
    // Without the _gh_sess cookie at all, too.
    const bare = await fetch(`${stack.githubUrl}/session`, {
      method: 'POST', body: filledLoginForm(form!, 'demo', 'demo'), headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(bare.status).toBe(422);
    expect(stack.stats.logins()).toBe(0);
  });

  it('refuses a callback whose state does not match the CSRF cookie (403)', async () => {
    const victim = new TestBrowser();
    const end = await logIn(stack, victim, 'demo', 'demo', '/api', (next) => next.includes('/oauth2/callback'));
    const attacker = new TestBrowser();
    await attacker.request(stack.startUrl); // holds a CSRF cookie of its own
    const res = await attacker.request(end.next ?? '');
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Unable to find a valid CSRF token');
    expect(await attacker.cookieNames(stack.proxyUrl)).not.toContain('_oauth2_proxy');
    // No CSRF cookie at all.
    expect((await fetch(end.next ?? '', { redirect: 'manual' })).status).toBe(403);
  });

  it('answers 500 for an unknown or reused code, like the real proxy', async () => {
    const browser = new TestBrowser();
    const end = await logIn(stack, browser, 'demo', 'demo', '/api', (next) => next.includes('/oauth2/callback'));
    const state = new URL(end.next ?? '').searchParams.get('state') ?? '';
    expect((await browser.request(`${stack.proxyUrl}/oauth2/callback?code=bogus&state=${encodeURIComponent(state)}`)).status).toBe(500);
    expect((await browser.request(end.next ?? '')).status).toBe(302);
    const reused = new TestBrowser();
    await reused.request(stack.startUrl);
    const nonce = (await reused.jar.getCookies(stack.proxyUrl)).find((c) => c.key === '_oauth2_proxy_csrf')?.value ?? '';
    const code = new URL(end.next ?? '').searchParams.get('code') ?? '';
    expect((await reused.request(`${stack.proxyUrl}/oauth2/callback?code=${code}&state=${nonce}:/`)).status).toBe(500);
    expect(stack.stats.proxySessions()).toBe(1);
  });

  it('refuses unauthenticated requests: 401 {} for JSON callers, 403 sign-in page otherwise', async () => {
    const json = await fetch(`${stack.proxyUrl}/api?metric=a&job=b`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(401);
    expect(await json.json()).toEqual({});
    const html = await fetch(`${stack.proxyUrl}/api?metric=a&job=b`, { redirect: 'manual' });
    expect(html.status).toBe(403);
    const forms = parseForms(await html.text());
    expect(forms).toEqual([{ action: '/oauth2/start', method: 'get', inputs: [{ name: 'rd', type: 'hidden', value: '/api?metric=a&job=b' }] }]);
    expect(stack.stats.backendRequests()).toBe(0);
  });

  it('serves /ping, /oauth2/sign_in and /oauth2/auth', async () => {
    const ping = await fetch(`${stack.proxyUrl}/ping`);
    expect([ping.status, await ping.text()]).toEqual([200, 'OK']);
    expect((await fetch(`${stack.proxyUrl}/oauth2/sign_in`)).status).toBe(200);
    const browser = new TestBrowser();
    expect((await browser.request(`${stack.proxyUrl}/oauth2/auth`)).status).toBe(401);
    await logIn(stack, browser, 'demo', 'demo', '/');
    const auth = await browser.request(`${stack.proxyUrl}/oauth2/auth`);
    expect(auth.status).toBe(202);
    expect(auth.headers.get('x-auth-request-user')).toBe('demo');
  });

  it('forgets every session on expireSessions() and clears the dead cookie', async () => {
    const browser = new TestBrowser();
    await logIn(stack, browser, 'demo', 'demo');
    expect((await browser.request(`${stack.proxyUrl}/api?metric=a&job=b`)).status).toBe(200);
    stack.expireSessions();
    const refused = await browser.request(`${stack.proxyUrl}/api?metric=a&job=b`, { headers: { accept: 'application/json' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.getSetCookie()[0]).toMatch(/^_oauth2_proxy=; Path=\/; Expires=Thu, 01 Jan 1970/);
    expect(await browser.cookieNames(stack.proxyUrl)).not.toContain('_oauth2_proxy');
    // GitHub still remembers the browser: a new start logs in without the password form.
    const again = await browser.follow(`${stack.startUrl}?rd=${encodeURIComponent('/api?metric=a&job=b')}`);
    expect(again.response.status).toBe(200);
    expect(stack.stats.logins('demo')).toBe(1);
    expect(stack.stats.proxySessions('demo')).toBe(2);
  });

  it('splits the session cookie into _oauth2_proxy_0 and _1 when asked, and accepts it back', async () => {
    const split = await start({ splitSessionCookie: true });
    const browser = new TestBrowser();
    const end = await logIn(split, browser, 'demo', 'demo');
    expect(end.response.status).toBe(200);
    const names = await browser.cookieNames(split.proxyUrl);
    expect(names).toEqual(expect.arrayContaining(['_oauth2_proxy_0', '_oauth2_proxy_1']));
    expect(names).not.toContain('_oauth2_proxy');
    for (const cookie of await browser.jar.getCookies(split.proxyUrl)) expect(cookie.value.length).toBeLessThan(4096);
    // One part alone is not a session.
    const part0 = (await browser.jar.getCookies(split.proxyUrl)).find((c) => c.key === '_oauth2_proxy_0');
    const partial = await fetch(`${split.proxyUrl}/api?metric=a&job=b`, { headers: { cookie: `_oauth2_proxy_0=${part0?.value}`, accept: 'application/json' } });
    expect(partial.status).toBe(401);
  });

  it('adds users at run time and validates them', async () => {
    stack.addUser({ login: 'late', password: 'comer' });
    expect((await logIn(stack, new TestBrowser(), 'late', 'comer')).response.status).toBe(200);
    expect(stack.stats.logins('late')).toBe(1);
    expect(() => stack.addUser({ login: '', password: 'x' })).toThrow(/login/);
    expect(() => stack.addUser({ login: 'x', password: '' })).toThrow(/password/);
    stack.stats.reset();
    expect([stack.stats.logins(), stack.stats.backendRequests(), stack.stats.backendLog.length]).toEqual([0, 0, 0]);
  });

  describe('fault switches', () => {
    it('githubDown: GitHub is unreachable, the proxy still starts the flow', async () => {
      stack.faults.githubDown = true;
      expect((await fetch(stack.startUrl, { redirect: 'manual' })).status).toBe(302);
      await expect(fetch(`${stack.githubUrl}/login`)).rejects.toThrow();
      stack.faults.githubDown = false;
      expect((await fetch(`${stack.githubUrl}/login`)).status).toBe(200);
    });

    it('githubDown during the callback: the proxy cannot redeem the code (500)', async () => {
      const browser = new TestBrowser();
      const end = await logIn(stack, browser, 'demo', 'demo', '/api', (next) => next.includes('/oauth2/callback'));
      stack.faults.githubDown = true;
      expect((await browser.request(end.next ?? '')).status).toBe(500);
    });

    it('githubStatus: GitHub answers its outage page with that status, its OAuth API too (the callback then 500), until switched off', async () => {
      const browser = new TestBrowser();
      const end = await logIn(stack, browser, 'demo', 'demo', '/api', (next) => next.includes('/oauth2/callback'));
      stack.faults.githubStatus = 503;
      const page = await fetch(`${stack.githubUrl}/login`);
      expect([page.status, page.headers.get('content-type')]).toEqual([503, 'text/html; charset=utf-8']);
      expect(await page.text()).toMatch(/Unicorn!/);
      expect((await fetch(`${stack.githubUrl}/login/oauth/access_token`, { method: 'POST' })).status).toBe(503);
      expect((await browser.request(end.next ?? '')).status).toBe(500);
      stack.faults.githubStatus = undefined;
      expect((await fetch(`${stack.githubUrl}/login`)).status).toBe(200);
      expect(() => { stack.faults.githubStatus = 404; }).toThrow(/githubStatus/);
    });

    it('githubDelayMs: GitHub answers late (a short client deadline expires)', async () => {
      stack.faults.githubDelayMs = 10_000;
      await expect(fetch(`${stack.githubUrl}/login`, { signal: AbortSignal.timeout(100) })).rejects.toThrow(/abort|timeout/i);
      stack.faults.githubDelayMs = 0;
      expect((await fetch(`${stack.githubUrl}/login`)).status).toBe(200);
    });

    it('proxyDown: the proxy is unreachable', async () => {
      stack.faults.proxyDown = true;
      await expect(fetch(`${stack.proxyUrl}/ping`)).rejects.toThrow();
      stack.faults.proxyDown = false;
      expect((await fetch(`${stack.proxyUrl}/ping`)).status).toBe(200);
    });

    it('loginPageWithoutForm: /login has no form to fill (only the search form)', async () => {
      stack.faults.loginPageWithoutForm = true;
      const page = await new TestBrowser().follow(stack.startUrl);
      expect(page.response.status).toBe(200);
      const forms = parseForms(await page.response.text());
      expect(forms.map((f) => f.action)).toEqual(['/search']);
    });

    it('oauthAppAuthorizationPage: authorize shows the consent page instead of redirecting', async () => {
      stack.faults.oauthAppAuthorizationPage = true;
      const end = await logIn(stack, new TestBrowser(), 'demo', 'demo');
      expect(end.response.status).toBe(200);
      expect(new URL(end.url).pathname).toBe('/login/oauth/authorize');
      expect(await end.response.text()).toContain('Authorize oauth2-proxy');
      expect(stack.stats.proxySessions()).toBe(0);
    });

    it('backendStatus + backendStatusTimes: the backend fails N times, then recovers', async () => {
      const browser = new TestBrowser();
      await logIn(stack, browser, 'demo', 'demo', '/');
      stack.stats.reset();
      stack.faults.backendStatus = 401;
      stack.faults.backendStatusTimes = 2;
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await browser.request(`${stack.proxyUrl}/api?metric=a&job=b`)).status);
      expect(statuses).toEqual([401, 401, 200]);
      expect(stack.faults.backendStatus).toBeUndefined();
      stack.faults.backendStatus = 500;
      const failed = await browser.request(`${stack.proxyUrl}/api?metric=a&job=b`);
      expect([failed.status, await failed.text()]).toEqual([500, 'Simulated backend failure: status 500\n']);
      expect(stack.stats.backendRequests('demo')).toBe(4);
    });

    it('backendDelayMs: the backend answers late', async () => {
      const browser = new TestBrowser();
      await logIn(stack, browser, 'demo', 'demo', '/');
      stack.faults.backendDelayMs = 10_000;
      const cookie = await browser.jar.getCookieString(stack.proxyUrl);
      await expect(fetch(`${stack.proxyUrl}/api?metric=a&job=b`, { headers: { cookie }, signal: AbortSignal.timeout(100) })).rejects.toThrow(/abort|timeout/i);
    });

    it('backendReset: the backend drops the connection', async () => {
      const browser = new TestBrowser();
      await logIn(stack, browser, 'demo', 'demo', '/');
      stack.stats.reset();
      stack.faults.backendReset = true;
      await expect(browser.request(`${stack.proxyUrl}/api?metric=a&job=b`)).rejects.toThrow();
      expect(stack.stats.backendRequests('demo')).toBe(1);
    });

    it('backendBodyBytes: the backend answers a body of exactly that size', async () => {
      const browser = new TestBrowser();
      await logIn(stack, browser, 'demo', 'demo', '/');
      stack.faults.backendBodyBytes = 3 * 1024 * 1024 + 7;
      const res = await browser.request(`${stack.proxyUrl}/api?metric=a&job=b`);
      expect(res.headers.get('content-length')).toBe(String(3 * 1024 * 1024 + 7));
      expect((await res.arrayBuffer()).byteLength).toBe(3 * 1024 * 1024 + 7);
    });

    it('rejects invalid switch values and unknown switches', () => {
      expect(() => { stack.faults.backendStatus = 42; }).toThrow(/backendStatus/);
      expect(() => { stack.faults.githubDelayMs = -1; }).toThrow(/githubDelayMs/);
      expect(() => { stack.faults.backendStatusTimes = 1.5; }).toThrow(/backendStatusTimes/);
      expect(() => { (stack.faults as unknown as Record<string, unknown>).githubdown = true; }).toThrow();
    });
  });

  describe('robustness', () => {
    it('stop() closes keep-alive connections and pending slow responses', async () => {
      const own = await startSimulatedStack();
      const agent = new Agent({ keepAlive: true });
      try {
        // Wrapped in an object: resolving with a bare promise would wait for it.
        const { socketClosed } = await new Promise<{ socketClosed: Promise<void> }>((resolve, reject) => {
          const req = httpRequest(`${own.proxyUrl}/ping`, { agent }, (res) => {
            const socketClosed = new Promise<void>((closed) => req.socket?.once('close', () => closed()));
            res.resume();
            res.on('end', () => resolve({ socketClosed }));
          });
          req.on('error', reject);
          req.end();
        });
        expect(agent.freeSockets).not.toEqual({}); // the connection stays open, idle
        own.faults.githubDelayMs = 60_000;
        const pending = fetch(`${own.githubUrl}/login`).catch((error: unknown) => error);
        await new Promise((resolve) => setTimeout(resolve, 50));
        await own.stop();
        await socketClosed;
        expect(String(await pending)).toMatch(/fetch failed/);
        await expect(fetch(`${own.proxyUrl}/ping`)).rejects.toThrow();
        await own.stop(); // idempotent
      } finally {
        agent.destroy();
        await own.stop();
      }
    });

    it('survives junk: bad request lines, oversized forms, odd states and redirects', async () => {
      const garbage = await new Promise<string>((resolve) => {
        const socket = connect(Number(new URL(stack.proxyUrl).port), '127.0.0.1', () => socket.write('\x00\x01 NOT HTTP\r\n\r\n'));
        let data = '';
        socket.on('data', (d) => { data += d.toString(); });
        socket.on('close', () => resolve(data));
        socket.on('error', () => resolve(data));
      });
      expect(garbage).not.toContain('200 OK');
      const huge = await fetch(`${stack.githubUrl}/session`, {
        method: 'POST', body: 'a='.padEnd(100_000, 'x'), headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(huge.status).toBe(413);
      expect((await fetch(`${stack.githubUrl}/session`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(422);
      expect((await fetch(`${stack.proxyUrl}/oauth2/callback?state=`, { redirect: 'manual' })).status).toBe(403);
      const offsite = await fetch(`${stack.startUrl}?rd=${encodeURIComponent('//evil.example/x')}`, { redirect: 'manual' });
      expect(new URL(offsite.headers.get('location') ?? '').searchParams.get('state')).toMatch(/:\/$/);
      expect((await fetch(`${stack.githubUrl}/login/oauth/authorize?client_id=unknown`, { redirect: 'manual' })).status).toBe(404);
      expect((await fetch(`${stack.proxyUrl}/ping`)).status).toBe(200);
    });

    it('answers 502 when a custom backend handler throws', async () => {
      const broken = await start({ backendHandler: () => { throw new Error('handler bug'); } });
      const browser = new TestBrowser();
      const end = await logIn(broken, browser, 'demo', 'demo', '/');
      expect(end.response.status).toBe(502);
      expect(await end.response.text()).not.toContain('handler bug');
    });

    it('rejects invalid options', async () => {
      await expect(startSimulatedStack({ proxySessionLifetimeMs: 0 })).rejects.toThrow(/proxySessionLifetimeMs/);
      await expect(startSimulatedStack({ publicUrls: { proxy: 'http://127.0.0.1:1/oauth2' } })).rejects.toThrow(/publicUrls\.proxy/);
      await expect(startSimulatedStack({ users: [{ login: 'a b', password: 'x' }] })).rejects.toThrow(/login/);
    });
  });

  describe('behind relays (publicUrls)', () => {
    it('gives out the relays\' URLs, so that the whole login, the code exchange included, goes through them', async () => {
      const [proxyRelay, githubRelay] = await Promise.all([startFaultRelay(), startFaultRelay()]);
      try {
        const relayed = await start({ users: [{ login: 'demo', password: 'demo' }], publicUrls: { proxy: proxyRelay.url, github: githubRelay.url } });
        proxyRelay.forwardTo(relayed.serverUrls.proxy);
        githubRelay.forwardTo(relayed.serverUrls.github);
        expect([relayed.proxyUrl, relayed.githubUrl, relayed.startUrl]).toEqual([proxyRelay.url, githubRelay.url, `${proxyRelay.url}/oauth2/start`]);
        expect(relayed.serverUrls.proxy).not.toBe(proxyRelay.url);
        const browser = new TestBrowser();
        const end = await logIn(relayed, browser, 'demo', 'demo');
        expect([end.response.status, end.url]).toEqual([200, `${proxyRelay.url}/api?metric=cpu&job=build`]);
        expect(browser.visited.every((url) => url.startsWith(proxyRelay.url) || url.startsWith(githubRelay.url))).toBe(true);
        // The proxy's own code exchange with GitHub goes through the GitHub relay too: without it, the callback fails.
        const other = new TestBrowser();
        const second = await logIn(relayed, other, 'demo', 'demo', '/api', (next) => next.includes('/oauth2/callback'));
        await githubRelay.close();
        expect((await other.request(second.next ?? '')).status).toBe(500);
      } finally {
        await Promise.all([proxyRelay.close(), githubRelay.close()]);
      }
    });
  });

  describe('GitHub OAuth endpoints (server to server)', () => {
    it('answers bad_verification_code for an unknown code and 401 for /api/v3/user without a token', async () => {
      const token = await fetch(`${stack.githubUrl}/login/oauth/access_token`, { method: 'POST', body: 'client_id=x&client_secret=y&code=z', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(token.status).toBe(200);
      expect(new URLSearchParams(await token.text()).get('error')).toBe('incorrect_client_credentials');
      const user = await fetch(`${stack.githubUrl}/api/v3/user`);
      expect(user.status).toBe(401);
      expect(await user.json()).toMatchObject({ message: 'Requires authentication' });
      expect((await fetch(`${stack.githubUrl}/api/v3/user`, { headers: { authorization: 'token nope' } })).status).toBe(401);
    });

    it('sends a mismatched redirect_uri back to the registered callback with an error', async () => {
      const start302 = await fetch(stack.startUrl, { redirect: 'manual' });
      const authorize = new URL(start302.headers.get('location') ?? '');
      authorize.searchParams.set('redirect_uri', 'http://evil.example/cb');
      const res = await fetch(authorize, { redirect: 'manual' });
      const location = new URL(res.headers.get('location') ?? '');
      expect(`${location.origin}${location.pathname}`).toBe(`${stack.proxyUrl}/oauth2/callback`);
      expect(location.searchParams.get('error')).toBe('redirect_uri_mismatch');
    });
  });
});
