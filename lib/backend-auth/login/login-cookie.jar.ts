import { Cookie, CookieJar } from 'tough-cookie';
import type { HopCookieJar } from '../http/hop-cookie-jar.interface.js';
import { type CookieTarget, urlOf } from '../http/hop-target.js';
import { ProxySessionJar, type ProxySessionJarSnapshot } from './proxy-session.jar.js';
import type { ResolvedBackendSessionOptions } from '../../options/backend-options.interface.js';

/** A half-done login's cookies, as a shared store keeps them. */
export interface LoginCookieJarSnapshot {
  session: ProxySessionJarSnapshot;
  github: unknown;
}

/** GitHub's cookie of a recognised device (its cookie list: "used to track recognized devices for security purposes"). */
const DEVICE_COOKIES: ReadonlySet<string> = new Set(['_device_id']);
/**
 * GitHub's web session and its device cookie: what a browser keeps between visits, so that GitHub asks
 * no password and no second factor again while the session lives ("logged out, new device, sensitive
 * action, session expired" are when it asks).
 */
const SESSION_COOKIES: ReadonlySet<string> = new Set(['_device_id', 'user_session', '__Host-user_session_same_site', '_gh_sess', 'logged_in', 'dotcom_user']);

/**
 * The cookies of one login: GitHub's (its web session, its verified-device cookie) kept apart and
 * sent to GitHub's origin only, the proxy's in the session jar the login hands on. The login's
 * redirect rules keep every hop on one of those two origins.
 */
export class LoginCookieJar implements HopCookieJar {
  private github: CookieJar;

  /**
   * @param kept GitHub's cookies kept from an earlier completed login of the identity (its device, and its
   *   web session when sessions are kept). They are copied into a jar of this login's own: the kept jar is
   *   never written into, so GitHub's web session of a login that stopped (on the authorize page, say) is
   *   never handed to the next login.
   */
  constructor(
    readonly session: ProxySessionJar,
    private readonly githubOrigin: string,
    kept?: CookieJar,
  ) {
    this.github = kept === undefined ? emptyJar() : copyOf(kept, SESSION_COOKIES);
  }

  cookieHeader(target: CookieTarget): string {
    const url = urlOf(target);
    return url.origin === this.githubOrigin ? this.github.getCookieStringSync(url) : this.session.cookieHeader(url);
  }

  store(setCookies: readonly string[], url: URL): boolean {
    if (url.origin !== this.githubOrigin) return this.session.store(setCookies, url);
    for (const header of setCookies) this.github.setCookieSync(header, url, { ignoreError: true });
    return false;
  }

  snapshot(): LoginCookieJarSnapshot {
    return { session: this.session.snapshot(), github: this.github.serializeSync() };
  }

  /** The half-done login a snapshot describes, with all its GitHub cookies (the sign-in its code page waits on). */
  static fromSnapshot(
    proxyUrl: URL,
    options: Pick<ResolvedBackendSessionOptions, 'cookies' | 'proxyCookieName' | 'githubUrl'>,
    snapshot: LoginCookieJarSnapshot,
  ): LoginCookieJar {
    const session = ProxySessionJar.fromSnapshot(proxyUrl, options.cookies, options.proxyCookieName, snapshot.session);
    const jar = new LoginCookieJar(session, options.githubUrl.origin);
    jar.github = deserializeJar(snapshot.github);
    return jar;
  }

  /** Whether a kept jar holds GitHub's web session (a login from it may show GitHub no password). */
  static holdsWebSession(jar: CookieJar): boolean {
    return (jar.serializeSync()?.cookies ?? []).some((cookie) => cookie.key === 'user_session');
  }

  /** What the identity's next login may start from: GitHub's device cookie, and its web session when `withSession`. */
  keptCookies(withSession: boolean): CookieJar {
    return copyOf(this.github, withSession ? SESSION_COOKIES : DEVICE_COOKIES);
  }
}

/** A new jar holding copies of `jar`'s cookies named in `names`, and nothing else. */
function copyOf(jar: CookieJar, names: ReadonlySet<string>): CookieJar {
  const copy = emptyJar();
  const { cookies } = jar.serializeSync() ?? { cookies: [] };
  for (const cookie of cookies) {
    if (typeof cookie.key === 'string' && names.has(cookie.key)) copy.store.putCookie(Cookie.fromJSON(cookie)!, () => undefined);
  }
  return copy;
}

function emptyJar(): CookieJar {
  return new CookieJar(undefined, { allowSecureOnLocal: true });
}

/** GitHub's cookies from `CookieJar.serializeSync()` output (an empty jar when unreadable). */
export function deserializeJar(serialized: unknown): CookieJar {
  try {
    return CookieJar.deserializeSync(serialized as string, undefined);
  } catch {
    return emptyJar();
  }
}
