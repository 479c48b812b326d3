import { Inject, Injectable, Logger } from '@nestjs/common';
import { APIKIT_RESOLVED_OPTIONS } from '../../options/apikit-options.constants.js';
import { ApiKitOptionsError } from '../../options/apikit-options.error.js';
import type { ResolvedApiKitOptions } from '../../options/apikit-options.interface.js';
import { logEvent } from '../../logging/index.js';
import { BACKEND_AUTH_LOGGER_CONTEXT } from '../backend-auth.constants.js';
import type { CallerContext } from '../context/caller-context.storage.js';
import { BackendHttpClient, HttpHop } from '../http/backend-http.client.js';
import { type BackendResponse, wasRedirected } from '../http/backend-response.js';
import type { CallDeadline } from '../http/call-deadline.js';
import type { ProxySessionJar } from '../login/proxy-session.jar.js';
import { UpstreamConnectionError, upstreamFailure } from '../http/upstream-failure.js';
import { ProxySessionPool } from '../pool/proxy-session.pool.js';
import type { BackendAuthStrategy } from './backend-auth-strategy.interface.js';
import { ProxyRefusals } from './proxy-refusals.js';
import { ProxySessionProbe } from './proxy-session.probe.js';
import { requireCredentials } from './require-credentials.js';

/**
 * `auth.type: bitly-proxy`: the backend sits behind oauth2-proxy with GitHub as identity
 * provider. Requests carry the caller's proxy session cookie (logged in through the pool).
 * The proxy refusing the session (`ProxyRefusals`) means the session is stale, unless the proxy's own
 * `<prefix>auth` says it takes it (`ProxySessionProbe`): drop it, log in once more and retry once; the
 * second answer is the caller's, whatever it is (never the sign-in page as a success). The backend's own
 * 401/403 are the caller's at once. At most one re-login per identity per `reloginIntervalMs`: a proxy
 * that refuses every session gets its answer passed on, not one GitHub login per request. A 431 (our
 * headers refused) costs no login: the backend's cookies are dropped and the call retried once.
 */
@Injectable()
export class BitlyProxyAuthStrategy implements BackendAuthStrategy {
  readonly requiresCredentials = true;
  private readonly logger = new Logger(BACKEND_AUTH_LOGGER_CONTEXT);
  private proxyRefusals?: ProxyRefusals;
  private sessionProbe?: ProxySessionProbe;

  constructor(
    private readonly http: BackendHttpClient,
    private readonly pool: ProxySessionPool,
    @Inject(APIKIT_RESOLVED_OPTIONS) private readonly options: ResolvedApiKitOptions,
  ) {}

  /** A metadata-only service may leave `auth.data` empty (as apikit allowed); calling the backend needs the endpoint. */
  assertConfigured(): void {
    this.startUrl();
  }

  async send(request: HttpHop, caller: CallerContext, deadline: CallDeadline): Promise<BackendResponse> {
    const credentials = requireCredentials(caller);
    const startUrl = this.startUrl();
    const refusals = (this.proxyRefusals ??= new ProxyRefusals(startUrl));
    for (let attempt = 1; ; attempt++) {
      // A pooled session comes back as it is, not as a promise: no await (and no promise hook) on the hot path.
      const acquired = this.pool.acquire(credentials, startUrl, caller.requestId, deadline, caller.client);
      const jar = acquired instanceof Promise ? await acquired : acquired;
      // A 431 is worth a retry when cookies the call left with have been dropped since (below).
      const dropsBefore = jar.cookieDrops;
      let response: BackendResponse;
      try {
        response = await this.http.follow(request, { deadline, jar, mayFollow: refusals.followWithinBackend });
      } catch (error) {
        // A peer hanging up on our request may be refusing our headers: then the next call starts from a fresh login.
        if (isReset(error) && (await this.headersRefused(request, jar, deadline)) && (await this.pool.mayLogInAgain(credentials))) {
          this.pool.invalidate(credentials, jar);
        }
        throw error;
      }
      // A 431 refuses our headers, not the session: a new login brings a session of the same size, and the cookies beside
      // the session's are what can go. A backend answering 431 itself gets them dropped, and nothing else. A call of the
      // same identity may have dropped them already: retried too, once (if it may be sent again).
      if (response.status === 431) {
        jar.dropBackendCookies();
        if (attempt === 1 && jar.cookieDrops !== dropsBefore && mayBeSentAgain(request, response)) continue;
        return response;
      }
      // A call that may not be sent twice is not taken for refused by its session's end alone: the backend may have
      // carried it out just as the cookie expired.
      const stale = refusals.isStaleSession(response, jar, isSafe(request));
      if (!(stale instanceof Promise ? await stale : stale)) return response;
      // Only for a refusal: the hot path (an answer the backend gave) looks no further.
      const again = mayBeSentAgain(request, response);
      if (attempt === 2) return refusedAnswer(response, caller.requestId);
      // Another replica may have logged in again already: its shared session, rather than a login of ours.
      if (await this.pool.adoptFresherShared(credentials, jar, startUrl)) {
        if (again) continue;
        return refusedAnswer(response, caller.requestId);
      }
      // A session that ended while the call was on its way (its cookie expired: no answer shortens it) is no refusal to
      // hold against the identity: the next call would log in anyway. A live one's refusal may be the backend's own (the
      // proxy passes its answers on): when the proxy says it takes the session, the answer is the backend's and costs
      // nothing. Without its word (the call's time ran out, a reset), nothing is spent either: the call's 504 or the
      // answer, the session kept, and the next call asks again; else a backend holding its forged refusal to the call's
      // last moment would buy a re-login. Otherwise a re-login spends the allowance, and without one the answer is passed
      // on and the jar kept.
      if (jar.hasLiveSession()) {
        const verdict = await (this.sessionProbe ??= new ProxySessionProbe(this.http, startUrl)).ask(jar, deadline, caller.requestId);
        if (verdict === 'takes') return response;
        if (verdict === 'unanswered') deadline.throwIfAborted();
        if (verdict === 'unanswered' || !(await this.pool.mayLogInAgain(credentials))) return refusedAnswer(response, caller.requestId);
      }
      logEvent(this.logger, 'log', 'session.refused', 'The proxy refused a pooled session; logging in again', {
        requestId: caller.requestId,
        user: credentials.username,
        status: response.status,
      });
      this.pool.invalidate(credentials, jar);
      // The next call logs in; this one, processed already (a POST's 303 led to the refusal), is not sent twice.
      if (!again) return refusedAnswer(response, caller.requestId);
    }
  }

  /**
   * Whether a reset was the peer refusing the session's headers (a Cookie header it will not take: it hangs up on every
   * request carrying it) rather than a network fault or a connection that broke: the same headers again (HEAD, no body)
   * are reset too, and a request without them is answered. A fault resets both (the soak's reset windows dropped
   * every session they touched, and their re-logins through GitHub followed seconds after); a broken connection, neither.
   */
  private async headersRefused(request: HttpHop, jar: ProxySessionJar, deadline: CallDeadline): Promise<boolean> {
    const { 'content-length': _length, 'content-type': _type, 'transfer-encoding': _encoding, ...headers } = request.headers;
    const probe: HttpHop = { method: 'HEAD', url: request.url, headers };
    const resets = (withSession: boolean): Promise<boolean> =>
      this.http.follow(probe, { deadline, jar: withSession ? jar : undefined, mayFollow: () => false }).then(() => false, isReset);
    return (await resets(true)) && !(await resets(false));
  }

  /** The oauth2-proxy start URL, `auth.data.endpoint`, validated and parsed by the options resolver at boot. */
  private startUrl(): URL {
    const { proxyStartUrl } = this.options.auth;
    if (proxyStartUrl === undefined) {
      throw new ApiKitOptionsError([
        'auth.data.endpoint: required to call the backend with auth type "bitly-proxy" (the absolute http(s) URL ' +
          'of the oauth2-proxy start page, e.g. "https://host/oauth2/start"), got undefined',
      ]);
    }
    return proxyStartUrl;
  }
}

/** RFC 9110 §9.2.1: sending them twice changes nothing. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/**
 * Whether the call may start again from its first hop: a safe method always; any other only when the answer is the
 * first hop's (refused there, by the front, the proxy or the backend's headers limit, it was not processed). After a
 * redirect it was, wherever the redirects led (back to its own URL too): a POST answered 303 would be sent, and
 * carried out, twice.
 */
function mayBeSentAgain(request: HttpHop, response: BackendResponse): boolean {
  return isSafe(request) || !wasRedirected(response);
}

function isSafe(request: HttpHop): boolean {
  return SAFE_METHODS.has(request.method.toUpperCase());
}

function isReset(error: unknown): boolean {
  return error instanceof UpstreamConnectionError && error.isReset;
}

/** The proxy's refusal as the caller code gets it, as it came, but never as a success (nginx's 200 sign-in page). */
function refusedAnswer(response: BackendResponse, requestId: string): BackendResponse {
  if (!response.ok) return response;
  const url = new URL(response.url);
  throw upstreamFailure(
    502,
    'The proxy answered its sign-in page instead of the backend: it refused the session.',
    `Page: ${url.origin}${url.pathname} (status ${response.status}).`,
    requestId,
  );
}
