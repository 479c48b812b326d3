import type { parseHtmlPage } from './html-form.parser.js';
import type { ProxySessionJar } from './proxy-session.jar.js';

/** What a bitly-proxy login needs beyond HTTP: GitHub's pages parsed, the proxy's cookies kept. */
export interface LoginTools {
  parseHtmlPage: typeof parseHtmlPage;
  ProxySessionJar: typeof ProxySessionJar;
}

let loading: Promise<LoginTools> | undefined;

/**
 * Loads the login's parsers at the first login, once per process. htmlparser2 and tough-cookie
 * cost ~45 ms of imports, which every service paid at boot although only bitly-proxy logins (a
 * multi-hop network operation anyway) use them. A session's jar, once built, needs no loading.
 */
export function loadLoginTools(): Promise<LoginTools> {
  loading ??= Promise.all([import('./html-form.parser.js'), import('./proxy-session.jar.js')]).then(([html, jar]) => ({
    parseHtmlPage: html.parseHtmlPage,
    ProxySessionJar: jar.ProxySessionJar,
  }));
  return loading;
}
