import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Agent } from 'undici';
import type { BackendError } from '../../errors/backend-error.js';
import { APIKIT_RESOLVED_OPTIONS } from '../../options/apikit-options.constants.js';
import type { ResolvedApiKitOptions } from '../../options/apikit-options.interface.js';
import { REQUEST_ID_HEADER } from '../../http-request/request-id.resolver.js';
import { BackendResponse, markRedirected, markSessionCookieClaim } from './backend-response.js';
import { type BufferedAnswer, type BufferedFailure, BufferedResponseHandler } from './buffered-response.handler.js';
import type { CallDeadline } from './call-deadline.js';
import type { HopCookieJar } from './hop-cookie-jar.interface.js';
import { hopTarget, PreparedHop } from './hop-target.js';
import { nextHop, unsafeRedirect } from './redirect-safety.js';
import { UpstreamConnectionError, upstreamFailure } from './upstream-failure.js';

/** One HTTP request, its body buffered so it can be sent again (redirect, retry after re-login). */
export interface HttpHop {
  method: string;
  url: URL;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: Buffer;
}

export interface FollowOptions {
  deadline: CallDeadline;
  /** Cookies of this jar are sent, and `Set-Cookie` stored, at every hop. */
  jar?: HopCookieJar;
  /**
   * Decides each redirect the safety rules allow: true follows it, false returns the 3xx as it is;
   * it may throw to end the operation. Default: follow within the same origin only.
   */
  mayFollow?: (target: URL, hop: HttpHop) => boolean;
  /** Called (and expected to throw) when a redirect is refused by the safety rules; default: return the 3xx. */
  onUnsafeRedirect?: (why: string, target: URL) => void;
  /** Who answers at `url`, for error messages ("GitHub", "the proxy"); default "the backend". */
  peerName?: (url: URL) => string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** undici's codes for a request it refuses to send as built (its `Request` constructor): never a network failure. */
const REFUSED_AS_BUILT = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED']);
type HopFailure = Exclude<BufferedFailure, { kind: 'aborted' }>;
const sameOrigin = (target: URL, hop: HttpHop): boolean => target.origin === hop.url.origin;
const theBackend = (): string => 'the backend';

/**
 * HTTP to the proxy, GitHub and the backend: one keep-alive undici `Agent` for the whole
 * service (replaced only when undici poisoned its pool, see `replacePoisonedAgent`), redirects
 * followed hop by hop (bounded, never from https to http, never replaying a body to another
 * origin) with the cookie jar applied at each hop, bodies buffered up to a limit, failures turned
 * into 502/504 `BackendError`s that name no internal address.
 */
@Injectable()
export class BackendHttpClient implements OnApplicationShutdown {
  private agent: Agent;
  private readonly agentOptions: Agent.Options;
  private readonly maxRedirects: number;
  private readonly maxResponseBytes: number;
  private readonly userAgent: string;

  constructor(@Inject(APIKIT_RESOLVED_OPTIONS) options: ResolvedApiKitOptions) {
    const { keepAlive, maxRedirects, maxResponseBytes, userAgent } = options.backend;
    this.userAgent = userAgent;
    this.agentOptions = { keepAliveTimeout: keepAlive.timeoutMs, connections: keepAlive.connectionsPerOrigin };
    this.agent = new Agent(this.agentOptions);
    this.maxRedirects = maxRedirects;
    this.maxResponseBytes = maxResponseBytes;
  }

  async follow(first: HttpHop, options: FollowOptions): Promise<BackendResponse> {
    const peerName = options.peerName ?? theBackend;
    let hop = first;
    for (let redirects = 0; ; redirects++) {
      const response = await this.send(hop, options, peerName);
      if (redirects > 0) markRedirected(response);
      const target = redirectTarget(response, hop, peerName);
      if (target === undefined) return response;
      const unsafe = unsafeRedirect(hop, response.status, target);
      if (unsafe !== undefined) {
        options.onUnsafeRedirect?.(unsafe, target);
        return response;
      }
      if (!(options.mayFollow ?? sameOrigin)(target, hop)) return response;
      if (redirects >= this.maxRedirects) {
        throw upstreamFailure(502, `More than ${this.maxRedirects} redirects from ${peerName(first.url)}.`, `Started at ${first.url.origin}.`, requestIdOf(hop));
      }
      hop = nextHop(hop, response.status, target);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.agent.close();
  }

  /** The answer, its `Set-Cookie` (if any) given to the jar and never to the caller code. */
  private answerOf(outcome: BufferedAnswer, jar: HopCookieJar | undefined, hop: HttpHop, href: string): BackendResponse {
    const setCookie = outcome.headers['set-cookie'];
    if (setCookie === undefined) return new BackendResponse(outcome.status, outcome.headers, outcome.body, href); // the common answer: no copy
    const { ['set-cookie']: _dropped, ...visible } = outcome.headers;
    const response = new BackendResponse(outcome.status, visible, outcome.body, href);
    if (jar?.store([setCookie].flat(), hop.url)) markSessionCookieClaim(response);
    return response;
  }

  /** One hop, its answer buffered: undici's `dispatch()` with one handler and one promise (see `BufferedResponseHandler`). */
  private send(hop: HttpHop, { deadline, jar }: FollowOptions, peerName: (url: URL) => string): Promise<BackendResponse> {
    deadline.throwIfAborted();
    // GitHub refuses requests without a User-Agent; the caller's code may set its own.
    const headers: Record<string, string> = { 'user-agent': this.userAgent, ...hop.headers };
    const cookies = jar ? jar.cookieHeader(hop instanceof PreparedHop ? hop : hop.url) : '';
    if (cookies !== '') headers.cookie = headers.cookie ? `${cookies}; ${headers.cookie}` : cookies;
    const target = hopTarget(hop);
    return new Promise((resolve, reject) => {
      let dispatching = true;
      const handler = new BufferedResponseHandler(this.maxResponseBytes, deadline, (outcome) => {
        if ('status' in outcome) {
          return resolve(this.answerOf(outcome, jar, hop, target.href));
        }
        reject(outcome.kind === 'aborted' ? deadline.abortError() : this.failure(outcome, hop, peerName, dispatching));
      });
      // A plain Agent never follows redirects (undici 7 does that only in an interceptor): `follow` does, hop by hop.
      // Its false is backpressure (the request waits in undici's queue) or a refusal the handler was told of: nothing to do here.
      this.agent.dispatch({ origin: target.origin, path: target.path, method: hop.method as 'GET', headers, body: hop.body ?? null }, handler);
      dispatching = false;
    });
  }

  /** A hop without an answer: a body over the limit, a request undici refused to send, or no connection. */
  private failure(outcome: HopFailure, hop: HttpHop, peerName: (url: URL) => string, whileDispatching: boolean): BackendError {
    const url = hop.url;
    const where = `${hop.method} ${url.origin}${url.pathname}`;
    if (outcome.kind === 'too-large') {
      return upstreamFailure(502, `The answer of ${peerName(url)} is larger than ${this.maxResponseBytes} bytes.`, where, requestIdOf(hop));
    }
    const code = (outcome.error as { code?: unknown }).code;
    const why = typeof code === 'string' ? code : 'connection failed';
    if (whileDispatching && REFUSED_AS_BUILT.has(why)) {
      this.replacePoisonedAgent();
      return upstreamFailure(502, `The request to ${peerName(url)} was refused before it was sent (${why}).`, where, requestIdOf(hop));
    }
    return new UpstreamConnectionError(why, upstreamFailure(502, `Could not reach ${peerName(url)} (${why}).`, where, requestIdOf(hop)));
  }

  /**
   * undici 7's pool takes a request refused while dispatching it (`onError` called, then `false`) for
   * backpressure, and marks the connection it picked as waiting for a 'drain' that never comes: after
   * `connectionsPerOrigin` such refusals every call to that origin waits in its queue for good.
   * `buildBackendRequest` refuses first what undici refuses; should one get through all the same, the
   * agent is replaced, the old one closing once its calls are done.
   */
  private replacePoisonedAgent(): void {
    const poisoned = this.agent;
    this.agent = new Agent(this.agentOptions);
    poisoned.close().catch(() => undefined);
  }
}

function requestIdOf(hop: HttpHop): string | undefined {
  return hop.headers[REQUEST_ID_HEADER.toLowerCase()];
}

function redirectTarget(response: BackendResponse, hop: HttpHop, peerName: (url: URL) => string): URL | undefined {
  const location = response.header('location');
  if (!REDIRECTS.has(response.status) || location === undefined) return undefined;
  if (!URL.canParse(location, hop.url.href)) {
    throw upstreamFailure(502, `${capitalised(peerName(hop.url))} redirected to an invalid URL.`, `From ${hop.url.origin}${hop.url.pathname}.`, requestIdOf(hop));
  }
  return new URL(location, hop.url);
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
