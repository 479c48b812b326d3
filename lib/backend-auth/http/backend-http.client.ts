import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Agent, request } from 'undici';
import { BackendError } from '../../errors/backend-error.js';
import { APIKIT_RESOLVED_OPTIONS } from '../../options/apikit-options.constants.js';
import type { ResolvedApiKitOptions } from '../../options/apikit-options.interface.js';
import { BackendResponse } from './backend-response.js';
import type { CallDeadline } from './call-deadline.js';
import type { HopCookieJar } from './hop-cookie-jar.interface.js';

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
  /** Return the redirect itself instead of following it (e.g. a redirect to a sign-in page). */
  stopAt?: (location: URL) => boolean;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * HTTP to the proxy, GitHub and the backend: one keep-alive undici `Agent` for the whole
 * service, redirects followed hop by hop (bounded) with the cookie jar applied at each hop,
 * bodies read up to a limit, failures turned into 502/504 `BackendError`s.
 */
@Injectable()
export class BackendHttpClient implements OnApplicationShutdown {
  private readonly agent: Agent;
  private readonly maxRedirects: number;
  private readonly maxResponseBytes: number;

  constructor(@Inject(APIKIT_RESOLVED_OPTIONS) options: ResolvedApiKitOptions) {
    const { keepAlive, maxRedirects, maxResponseBytes } = options.backend;
    this.agent = new Agent({ keepAliveTimeout: keepAlive.timeoutMs, connections: keepAlive.connectionsPerOrigin });
    this.maxRedirects = maxRedirects;
    this.maxResponseBytes = maxResponseBytes;
  }

  async follow(first: HttpHop, options: FollowOptions): Promise<BackendResponse> {
    let hop = first;
    for (let redirects = 0; ; redirects++) {
      const response = await this.send(hop, options);
      const location = redirectLocation(response, hop.url);
      if (location === undefined || options.stopAt?.(location)) return response;
      if (redirects >= this.maxRedirects) {
        throw new BackendError('Bad Gateway', 502, `More than ${this.maxRedirects} redirects from ${first.url.origin}.`);
      }
      hop = nextHop(hop, response.status, location);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.agent.close();
  }

  private async send(hop: HttpHop, { deadline, jar }: FollowOptions): Promise<BackendResponse> {
    deadline.throwIfAborted();
    const headers = { ...hop.headers };
    const cookies = jar ? jar.cookieHeader(hop.url) : '';
    if (cookies !== '') headers.cookie = headers.cookie ? `${cookies}; ${headers.cookie}` : cookies;
    try {
      // A plain Agent never follows redirects (undici 7 does that only in an interceptor): we do, hop by hop.
      const answer = await request(hop.url, {
        dispatcher: this.agent,
        method: hop.method as 'GET',
        headers,
        body: hop.body,
        signal: deadline.signal,
      });
      const { ['set-cookie']: setCookie, ...visibleHeaders } = answer.headers;
      if (jar && setCookie !== undefined) jar.store([setCookie].flat(), hop.url);
      const bytes = await this.readBody(answer.body, answer.headers['content-length'], hop.url);
      return new BackendResponse(answer.statusCode, visibleHeaders, bytes, hop.url.href);
    } catch (error) {
      if (deadline.signal.aborted) throw deadline.abortError();
      if (error instanceof BackendError) throw error;
      const code = (error as { code?: unknown }).code;
      const why = typeof code === 'string' ? code : 'connection failed';
      throw new BackendError('Bad Gateway', 502, `Could not reach ${hop.url.origin} (${why}).`);
    }
  }

  /** Buffers the body, refusing (without reading on) one larger than `maxResponseBytes`. */
  private async readBody(body: AsyncIterable<Buffer> & { destroy(): unknown }, length: unknown, url: URL): Promise<Buffer> {
    const tooLarge = (): BackendError => {
      body.destroy();
      return new BackendError('Bad Gateway', 502, `The answer of ${url.origin} is larger than ${this.maxResponseBytes} bytes.`);
    };
    if (Number(length) > this.maxResponseBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > this.maxResponseBytes) throw tooLarge();
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size);
  }
}

function redirectLocation(response: BackendResponse, base: URL): URL | undefined {
  const location = response.header('location');
  if (!REDIRECTS.has(response.status) || location === undefined) return undefined;
  try {
    return new URL(location, base);
  } catch {
    throw new BackendError('Bad Gateway', 502, `${base.origin} redirected to an invalid URL.`);
  }
}

/** The next hop as browsers make it: 303 (and 301/302 after a POST) become a GET without body. */
function nextHop(hop: HttpHop, status: number, url: URL): HttpHop {
  const headers = { ...hop.headers };
  if (url.origin !== hop.url.origin) {
    // Credentials the caller gave for one origin are not handed to another.
    delete headers.authorization;
    delete headers.cookie;
  }
  const keepsBody = status === 307 || status === 308 || (status !== 303 && hop.method !== 'POST');
  if (keepsBody) return { ...hop, url, headers };
  delete headers['content-type'];
  delete headers['content-length'];
  return { method: hop.method === 'HEAD' ? 'HEAD' : 'GET', url, headers };
}
