import { Parser } from 'htmlparser2';
import { CookieJar } from 'tough-cookie';
import { simulatedMetricValue, startSimulatedStack, type SimulatedStack, type SimulatedStackOptions } from '../lib/testing/index.js';

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

/** Fills the login form: every hidden input, the credentials and the submit button, URL-encoded. */
function filledLoginForm(form: HtmlForm, login: string, password: string): string {
  const body = new URLSearchParams();
  for (const input of form.inputs) if (input.type === 'hidden') body.append(input.name, input.value);
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
});
