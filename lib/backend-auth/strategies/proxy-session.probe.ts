import { REQUEST_ID_HEADER } from '../../http-request/request-id.resolver.js';
import type { BackendHttpClient } from '../http/backend-http.client.js';
import type { CallDeadline } from '../http/call-deadline.js';
import type { ProxySessionJar } from '../login/proxy-session.jar.js';

const never = (): boolean => false;

/**
 * Asks oauth2-proxy's own `<prefix>auth` (`AuthOnly`, nginx's `auth_request` endpoint) whether it takes a session:
 * 202 when it does, whatever the backend behind it says. A refusal's shape can be the backend's (the proxy passes
 * its answers on, `Set-Cookie` included), this answer cannot: the proxy serves its prefix itself. A 401 (it cannot
 * load the session), a 404 (a front that does not route it), a 5xx or no answer: the refusal may be the proxy's,
 * and the re-login bounds decide as before (a proxy refusing every session still costs one login a minute at most).
 */
export class ProxySessionProbe {
  private readonly authUrl: URL;

  constructor(
    private readonly http: BackendHttpClient,
    startUrl: URL,
  ) {
    const prefix = startUrl.pathname.slice(0, startUrl.pathname.lastIndexOf('/') + 1);
    this.authUrl = new URL(`${prefix}auth`, startUrl.origin);
  }

  async takesSession(jar: ProxySessionJar, deadline: CallDeadline, requestId: string): Promise<boolean> {
    try {
      const answer = await this.http.follow(
        { method: 'GET', url: this.authUrl, headers: { [REQUEST_ID_HEADER.toLowerCase()]: requestId } },
        { deadline, jar, mayFollow: never, peerName: () => 'the proxy' },
      );
      return answer.status === 202;
    } catch {
      // The call's own deadline or connection failure: the caller's next step meets it again and answers for it.
      return false;
    }
  }
}
