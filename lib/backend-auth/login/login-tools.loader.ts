import type { parseHtmlPage } from './html-form.parser.js';
import type { deserializeJar, LoginCookieJar } from './login-cookie.jar.js';
import type { ProxySessionJar } from './proxy-session.jar.js';

/** What a bitly-proxy login needs beyond HTTP: GitHub's pages parsed, the proxy's and GitHub's cookies kept. */
export interface LoginTools {
  parseHtmlPage: typeof parseHtmlPage;
  ProxySessionJar: typeof ProxySessionJar;
  LoginCookieJar: typeof LoginCookieJar;
  deserializeJar: typeof deserializeJar;
}

/**
 * `load` once, sharing its result; a failed load (a file missing mid-deploy, no memory) is not kept:
 * the next call tries again, instead of every login of the process failing on the cached rejection.
 */
export function onceUntilLoaded<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}

/**
 * Loads the login's parsers at the first login, once per process. htmlparser2 and tough-cookie
 * cost ~45 ms of imports, which every service paid at boot although only bitly-proxy logins (a
 * multi-hop network operation anyway) use them. A session's jar, once built, needs no loading.
 */
export const loadLoginTools = onceUntilLoaded(async (): Promise<LoginTools> => {
  // The jars one after the other: both load tough-cookie, and jest's ESM loader fails a module two imports race for.
  const html = await import('./html-form.parser.js');
  const session = await import('./proxy-session.jar.js');
  const login = await import('./login-cookie.jar.js');
  return {
    parseHtmlPage: html.parseHtmlPage,
    ProxySessionJar: session.ProxySessionJar,
    LoginCookieJar: login.LoginCookieJar,
    deserializeJar: login.deserializeJar,
  };
});
