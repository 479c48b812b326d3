import { REQUEST_ID_HEADER } from '../../http-request/request-id.resolver.js';
import type { BackendHttpClient } from '../http/backend-http.client.js';
import type { CallDeadline } from '../http/call-deadline.js';
import { proxyEndpointsOf } from '../http/proxy-endpoints.js';
import type { ProxySessionJar } from '../login/proxy-session.jar.js';

const never = (): boolean => false;

/**
 * What oauth2-proxy says of a session: `takes` it (202), `refuses` it (any other answer: a 401, a 404 from a front that
 * does not route `<prefix>auth`, a 5xx), or `unanswered` (no answer: the call's time ran out, a reset).
 */
export type ProxyVerdict = 'takes' | 'refuses' | 'unanswered';

/**
 * Asks oauth2-proxy's own `<prefix>auth` (`AuthOnly`, nginx's `auth_request` endpoint) whether it takes a session:
 * 202 when it does, whatever the backend behind it says. A refusal's shape can be the backend's (the proxy passes
 * its answers on, `Set-Cookie` included), this answer cannot: the proxy serves its prefix itself, where the front
 * routes all of it there (README). It runs on what is left of the call's deadline, which bounds the call, time-out and
 * caller's abort included; a backend holding its forged refusal to the call's last milliseconds leaves it none, and so
 * `unanswered` buys nothing (`BitlyProxyAuthStrategy`): that failure bought a re-login once. It sends the session's
 * cookies alone (`ProxySessionJar.sessionOnly`), so that nothing of the backend's rides on it.
 */
export class ProxySessionProbe {
  private readonly authUrl: URL;

  constructor(
    private readonly http: BackendHttpClient,
    startUrl: URL,
  ) {
    this.authUrl = new URL(proxyEndpointsOf(startUrl).auth, startUrl.origin);
  }

  async ask(jar: ProxySessionJar, deadline: CallDeadline, requestId: string): Promise<ProxyVerdict> {
    try {
      const answer = await this.http.follow(
        { method: 'GET', url: this.authUrl, headers: { [REQUEST_ID_HEADER.toLowerCase()]: requestId } },
        { deadline, jar: jar.sessionOnly(), mayFollow: never, peerName: () => 'the proxy' },
      );
      return answer.status === 202 ? 'takes' : 'refuses';
    } catch {
      return 'unanswered';
    }
  }
}
