import type { HttpHop } from '../http/backend-http.client.js';
import { type BackendResponse, claimedTheSessionCookie } from '../http/backend-response.js';
import { proxyEndpointsOf } from '../http/proxy-endpoints.js';
import { loadLoginTools } from '../login/login-tools.loader.js';
import type { ProxySessionJar } from '../login/proxy-session.jar.js';

/** `text/html`, `application/json`: the media type alone, parameters (`; charset=utf-8`) allowed. */
const HTML = /^text\/html\s*(?:;|$)/i;
const JSON_TYPE = /^application\/json\s*(?:;|$)/i;
/**
 * How much of an HTML answer is searched, and parsed, for the proxy's form (~2.4 µs per 9 KB searched): its sign-in
 * page is 8.7 KB with the default logo, inlined before the form. A custom logo of over ~23 KB would hide the page; a
 * bigger backend page costs no more than this.
 */
const SIGN_IN_PAGE_BYTES = 32 * 1024;
/**
 * How far a form the search's cut fell in is parsed on: the proxy's pages repeat the caller's URL (escaped) in `rd`
 * after the action, and the error page once more before it, so a long URL takes the form's end past 32 KiB.
 */
const FORM_PARSE_BYTES = 64 * 1024;
const FORM_START = Buffer.from('<form');
const FORM_END = Buffer.from('</form>');

/**
 * How oauth2-proxy (v7.15, oauthproxy.go) answers a session it cannot use, under its `--proxy-prefix`
 * (read from `auth.data.endpoint`: `https://host/auth/start` -> `/auth/`). Whatever else comes back is
 * the backend's, which the proxy passes on unchanged, its 401 and 403 included.
 * - 401 `{}` as `Content-Type: application/json` (`Proxy()` -> `errorJSON`): to `Accept: application/json`,
 *   an `--api-route`, `--force-json-errors`; 403 `{}` for a session that failed authorization with the last.
 * - 403 sign_in.html (`SignInPage`): a GET form to `<prefix>start` with a hidden `rd`; or error.html
 *   (`ErrorPage` after `ErrAccessDenied`): a GET form to `<prefix>sign_in` with `rd`.
 * - 200 sign_in.html: behind nginx `auth_request` with `error_page 401 = <prefix>sign_in` (bitly's README).
 * - A 401 or 403 with `Set-Cookie: <name>=; Max-Age=0`, whatever its body (a custom template's): the session
 *   loader clears a session it cannot load (stored_session.go), `getAuthenticatedSession` one that failed
 *   authorization (then a 403 error page, or `{}` with `--force-json-errors`). `SignInPage` clears it only after
 *   `WriteHeader`: Go never sends that one. A backend can send such an answer too (or set the cookie otherwise):
 *   the jar keeps the session (`ProxySessionJar.store`), and the strategy asks the proxy (`ProxySessionProbe`).
 * - A 401, a 403 or an HTML 200 once the session's cookie has expired: the call left in the session's last moments.
 * - A redirect to `<prefix>start` or `<prefix>sign_in` (ingress-nginx `auth-signin`), or to GitHub's authorize
 *   page (`--skip-provider-button`).
 */
export class ProxyRefusals {
  private readonly prefix: string;
  private readonly startPath: string;
  private readonly signInPath: string;
  /** The proxy's own endpoints (oauth2-proxy's `<prefix>/...` routes): never the backend's, never followed to. */
  private readonly proxyPaths: ReadonlySet<string>;
  /** Searched in an HTML body before it is parsed: the sign-in form's action, and the prefix both pages' forms hold. */
  private readonly startBytes: Buffer;
  private readonly prefixBytes: Buffer;

  constructor(startUrl: URL) {
    const endpoints = proxyEndpointsOf(startUrl);
    this.prefix = endpoints.prefix;
    this.startPath = endpoints.start;
    this.signInPath = endpoints.signIn;
    this.proxyPaths = endpoints.all;
    this.startBytes = Buffer.from(this.startPath);
    this.prefixBytes = Buffer.from(this.prefix);
  }

  /**
   * Backend redirects are followed within its origin only, and never to the proxy's own endpoints: its sign-in means
   * a stale session, and a backend's redirect to `<prefix>sign_out` would end the caller's session at the proxy.
   */
  readonly followWithinBackend = (target: URL, hop: HttpHop): boolean =>
    target.origin === hop.url.origin && !this.isProxyPath(target) && !this.isSignIn(target);

  /**
   * Whether a path reaches the proxy's own endpoints as a front in its way may route it (`frontPath`). Under a prefix of
   * its own (`/oauth2/`), nothing there is the backend's; a path a front would not route is refused too.
   */
  private isProxyPath(target: URL): boolean {
    const path = frontPath(target.pathname);
    if (path === undefined) return true;
    return this.prefix === '/' ? this.proxyPaths.has(path) : path.startsWith(this.prefix) || `${path}/` === this.prefix;
  }

  /** A redirect to the proxy's sign-in or straight to GitHub's authorize page. */
  private isSignIn(location: URL): boolean {
    const path = location.pathname;
    return path === this.startPath || path === this.signInPath || path.endsWith('/login/oauth/authorize');
  }

  /**
   * Whether `response` is the proxy refusing the session of `jar`. A promise only for an HTML page that
   * may be one of the proxy's (it is parsed); a JSON or text 200, the hot path, costs a header read.
   * With `endedSessionCounts` (the default), any 401, 403 or HTML 200 once the session's cookie has expired is one:
   * the call left in the session's last moments. The caller of a call that may not be sent twice passes false: its
   * answer may have come from a backend that carried it out just as the cookie expired, so only the proxy's shapes count.
   */
  isStaleSession(response: BackendResponse, jar: ProxySessionJar, endedSessionCounts = true): boolean | Promise<boolean> {
    // Asked only of a 401, a 403 or an HTML 200: a JSON 200, the hot path, reads no clock.
    const ended = (): boolean => endedSessionCounts && !jar.hasLiveSession();
    switch (response.status) {
      case 200:
        return isHtml(response) && (ended() || (holds(response, this.startBytes) && this.hasForm(response, [this.startPath])));
      case 401:
        return ended() || claimedTheSessionCookie(response) || isEmptyJsonObject(response);
      case 403:
        return (
          ended() ||
          claimedTheSessionCookie(response) ||
          isEmptyJsonObject(response) ||
          (isHtml(response) && holds(response, this.prefixBytes) && this.hasForm(response, [this.startPath, this.signInPath]))
        );
    }
    const location = response.header('location');
    if (response.status < 300 || response.status >= 400 || location === undefined || !URL.canParse(location, response.url)) return false;
    return this.isSignIn(new URL(location, response.url));
  }

  /** A GET form to one of `actions` carrying `rd`, as both of the proxy's pages have. */
  private async hasForm(response: BackendResponse, actions: readonly string[]): Promise<boolean> {
    const { parseHtmlPage } = await loadLoginTools();
    // The part `holds` searched, and the rest of a form it cut: parsing a whole page of up to maxResponseBytes took
    // ~190 ms per MiB.
    return parseHtmlPage(parsedPart(response).toString('utf8')).forms.some(
      ({ method, action, inputs }) =>
        method === 'get' &&
        action !== undefined &&
        URL.canParse(action, response.url) &&
        actions.includes(new URL(action, response.url).pathname) &&
        inputs.some((input) => input.name === 'rd'),
    );
  }
}

/**
 * A path as nginx routes it (ngx_http_parse_complex_uri): percent-decoded once, `//` merged, `.` and `..` resolved on
 * the decoded text, where a decoded `?` or `#` is a path character like any other (parsing it as a URL again would end
 * the path there: `/%3F%2F..%2Foauth2/sign_out` is nginx's `/oauth2/sign_out`). `undefined` for a path that does not
 * decode or climbs above the root (nginx answers 400).
 */
function frontPath(pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const segments: string[] = [];
  // A decoded backslash separates too: Windows-minded fronts read it so, and refusing more is the safe side.
  for (const segment of decoded.split(/[/\\]/).slice(1)) {
    if (segment === '..') {
      if (segments.length === 0) return undefined;
      segments.pop();
    } else if (segment !== '.' && segment !== '') segments.push(segment);
  }
  const trailing = segments.length > 0 && /[/\\]\.{0,2}$/.test(decoded) ? '/' : '';
  return `/${segments.join('/')}${trailing}`;
}

/** Two letters first (`t`, `h`; ASCII `| 0x20` lower-cases): a JSON or text answer, the hot path, costs no regex. */
function isHtml(response: BackendResponse): boolean {
  const type = response.headers['content-type'];
  return typeof type === 'string' && (type.charCodeAt(0) | 0x20) === 0x74 && (type.charCodeAt(5) | 0x20) === 0x68 && HTML.test(type);
}

/** The part of a body where the proxy's pages hold their form. */
function head(response: BackendResponse): Buffer {
  const { bytes } = response;
  return bytes.length > SIGN_IN_PAGE_BYTES ? bytes.subarray(0, SIGN_IN_PAGE_BYTES) : bytes;
}

/** `head`, and on to the end of a form it cut (at most `FORM_PARSE_BYTES`). */
function parsedPart(response: BackendResponse): Buffer {
  const { bytes } = response;
  const searched = head(response);
  if (searched === bytes || searched.lastIndexOf(FORM_START) <= searched.lastIndexOf(FORM_END)) return searched;
  const further = bytes.subarray(0, FORM_PARSE_BYTES);
  const end = further.indexOf(FORM_END, SIGN_IN_PAGE_BYTES - FORM_END.length + 1);
  return end < 0 ? further : further.subarray(0, end + FORM_END.length);
}

function holds(response: BackendResponse, needle: Buffer): boolean {
  return head(response).includes(needle);
}

/** `errorJSON`'s body, exactly `{}`. */
function isEmptyJsonObject(response: BackendResponse): boolean {
  const { bytes } = response;
  const type = response.header('content-type');
  return bytes.length === 2 && bytes[0] === 0x7b && bytes[1] === 0x7d && type !== undefined && JSON_TYPE.test(type);
}

