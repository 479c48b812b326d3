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

/**
 * GitHub's cookie of a recognised device (its cookie list: "used to track recognized devices for
 * security purposes"). Its web session (`user_session`...) is not kept: each login shows GitHub the password.
 */
const DEVICE_COOKIES = new Set(['_device_id']);

/**
 * The cookies of one login: GitHub's (its web session, its verified-device cookie) kept apart and
 * sent to GitHub's origin only, the proxy's in the session jar the login hands on. The login's
 * redirect rules keep every hop on one of those two origins.
 */
export class LoginCookieJar implements HopCookieJar {
  private github: CookieJar;

  /**
   * @param kept GitHub's cookies kept from an earlier login of the identity, so that GitHub recognises
   *   its device. Its device cookies are copied into a jar of this login's own: the kept jar is never
   *   written into, so GitHub's web session of a login that stopped (on the authorize page, say) does
   *   not spare the next login its password.
   */
  constructor(
    readonly session: ProxySessionJar,
    private readonly githubOrigin: string,
    kept?: CookieJar,
  ) {
    this.github = kept === undefined ? emptyJar() : deviceCookiesOf(kept);
  }

  cookieHeader(target: CookieTarget): string {
    const url = urlOf(target);
    return url.origin === this.githubOrigin ? this.github.getCookieStringSync(url) : this.session.cookieHeader(url);
  }

  store(setCookies: readonly string[], url: URL): void {
    if (url.origin !== this.githubOrigin) return this.session.store(setCookies, url);
    for (const header of setCookies) this.github.setCookieSync(header, url, { ignoreError: true });
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

  /** A jar of GitHub's device cookies alone, for the identity's next login. */
  deviceCookies(): CookieJar {
    return deviceCookiesOf(this.github);
  }
}

/** A new jar holding copies of `jar`'s device cookies, and nothing else. */
function deviceCookiesOf(jar: CookieJar): CookieJar {
  const devices = emptyJar();
  const { cookies } = jar.serializeSync() ?? { cookies: [] };
  for (const cookie of cookies) {
    if (typeof cookie.key === 'string' && DEVICE_COOKIES.has(cookie.key)) devices.store.putCookie(Cookie.fromJSON(cookie)!, () => undefined);
  }
  return devices;
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
