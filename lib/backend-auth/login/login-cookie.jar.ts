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
 * redirect rules keep every hop on one of those two origins. `github` may come from an earlier
 * login of the same identity, so that GitHub recognises its device.
 */
export class LoginCookieJar implements HopCookieJar {
  constructor(
    readonly session: ProxySessionJar,
    private readonly githubOrigin: string,
    readonly github: CookieJar = new CookieJar(undefined, { allowSecureOnLocal: true }),
  ) {}

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

  static fromSnapshot(
    proxyUrl: URL,
    options: Pick<ResolvedBackendSessionOptions, 'cookies' | 'proxyCookieName' | 'githubUrl'>,
    snapshot: LoginCookieJarSnapshot,
  ): LoginCookieJar {
    const session = ProxySessionJar.fromSnapshot(proxyUrl, options.cookies, options.proxyCookieName, snapshot.session);
    return new LoginCookieJar(session, options.githubUrl.origin, deserializeJar(snapshot.github));
  }

  /** A jar of GitHub's device cookies alone, for the identity's next login. */
  deviceCookies(): CookieJar {
    const devices = new CookieJar(undefined, { allowSecureOnLocal: true });
    const { cookies } = this.github.serializeSync() ?? { cookies: [] };
    for (const cookie of cookies) {
      if (typeof cookie.key === 'string' && DEVICE_COOKIES.has(cookie.key)) devices.store.putCookie(Cookie.fromJSON(cookie)!, () => undefined);
    }
    return devices;
  }
}

/** GitHub's cookies from `CookieJar.serializeSync()` output (an empty jar when unreadable). */
export function deserializeJar(serialized: unknown): CookieJar {
  try {
    return CookieJar.deserializeSync(serialized as string, undefined);
  } catch {
    return new CookieJar(undefined, { allowSecureOnLocal: true });
  }
}
