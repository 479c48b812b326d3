import { CookieJar } from 'tough-cookie';
import type { HopCookieJar } from '../http/hop-cookie-jar.interface.js';
import type { ProxySessionJar } from './proxy-session.jar.js';

/**
 * The cookies of one login: GitHub's (its web session, `_gh_sess`, `user_session`) kept apart and
 * sent to GitHub's origin only, the proxy's in the session jar the login hands on. The login's
 * redirect rules keep every hop on one of those two origins.
 */
export class LoginCookieJar implements HopCookieJar {
  private readonly github = new CookieJar(undefined, { allowSecureOnLocal: true });

  constructor(
    readonly session: ProxySessionJar,
    private readonly githubOrigin: string,
  ) {}

  cookieHeader(url: URL): string {
    return url.origin === this.githubOrigin ? this.github.getCookieStringSync(url) : this.session.cookieHeader(url);
  }

  store(setCookies: readonly string[], url: URL): void {
    if (url.origin !== this.githubOrigin) return this.session.store(setCookies, url);
    for (const header of setCookies) this.github.setCookieSync(header, url, { ignoreError: true });
  }
}
