import { Cookie, CookieJar, MemoryCookieStore } from 'tough-cookie';
import { DEFAULT_BACKEND_SESSION_OPTIONS } from '../../options/backend-options.defaults.js';
import type { ResolvedBackendSessionOptions } from '../../options/backend-options.interface.js';
import type { HopCookieJar } from '../http/hop-cookie-jar.interface.js';
import { type CookieTarget, cookieScopeOf, urlOf } from '../http/hop-target.js';
import { proxyEndpointsOf } from '../http/proxy-endpoints.js';

/** A jar as a shared store keeps it: each cookie (tough-cookie's JSON) with its receipt-based expiry. */
export interface ProxySessionJarSnapshot {
  cookies: Array<{ cookie: unknown; expiresAt: number | null }>;
}

/** A `Secure` attribute in a Set-Cookie header. */
const SECURE_ATTRIBUTE = /;\s*secure\s*(?:;|$)/i;
/** Cookie headers remembered per URL path: a backend with many paths only misses more often. */
const MAX_CACHED_HEADERS = 32;
const NO_PARTS: ReadonlySet<string> = new Set();

/** The name of a Set-Cookie header's cookie, as tough-cookie reads it. */
function cookieNameOf(header: string): string {
  const pair = header.split(';', 1)[0];
  return pair.slice(0, Math.max(0, pair.indexOf('='))).trim();
}

/** A call's time to reach the proxy, with room for a busy event loop on either side: 1 s. */
const SESSION_END_MARGIN_MS = 1_000;

/**
 * The cookie jar of one caller's proxy session: RFC 6265 rules (domain, path, secure, expiry) by
 * tough-cookie, which every cookie enters through `store`. It keeps only cookies the proxy's origin
 * set (cookies do not scope by port: on one host, GitHub's would otherwise ride along to the proxy
 * and the backend), the parts of a split session from the login's callback only, at most `limits` of
 * them (the session's parts counted), oldest dropped first but never the proxy's session.
 * What each backend call asks (is the session alive? which Cookie header?) is answered from
 * figures computed when cookies arrive, not by a jar lookup per call (~20 µs each).
 */
export class ProxySessionJar implements HopCookieJar {
  private readonly cookieStore = new MemoryCookieStore();
  // Secure cookies are kept on loopback (tests, demo).
  private readonly jar = new CookieJar(this.cookieStore, { allowSecureOnLocal: true });
  /**
   * Expiry of each stored cookie from the moment it arrived (RFC 6265: Max-Age counts from
   * receipt). tough-cookie counts Max-Age from the last access, which a busy session renews forever.
   */
  private readonly expiries = new WeakMap<Cookie, number>();
  private readonly headers = new Map<string, { value: string; validUntil: number }>();
  private sessionExpiresAt = -Infinity;
  /** Until when a call may still carry the session (see `hasUsableSession`). */
  private sessionUsableUntil = -Infinity;
  /** The proxy's session cookie (`--cookie-name`), or its parts `<name>_0`, `<name>_1`... when split. */
  private readonly sessionCookie: RegExp;
  /** `<prefix>callback`, where the proxy issues the session (the start URL's `<prefix>start` tells the prefix). */
  private readonly callbackPath: string;
  /** Counts `dropBackendCookies` that dropped any: a call that left with cookies dropped since can tell. */
  cookieDrops = 0;
  /** Whether the proxy set a Secure cookie over plain http (not loopback): kept by no browser, nor here. */
  droppedSecureCookies = false;
  /** Whether an answer of the proxy's OAuth callback came through: a login that got there should be in. */
  sawCallback = false;

  /** @param proxyUrl the proxy's start URL, whose session cookie is the proof of login. */
  constructor(
    private readonly proxyUrl: URL,
    private readonly limits: ResolvedBackendSessionOptions['cookies'] = DEFAULT_BACKEND_SESSION_OPTIONS.cookies,
    readonly cookieName: string = DEFAULT_BACKEND_SESSION_OPTIONS.proxyCookieName,
  ) {
    this.callbackPath = proxyEndpointsOf(proxyUrl).callback;
    this.sessionCookie = new RegExp(`^${cookieName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:_\\d+)?$`);
  }

  /** Whether the jar holds an unexpired proxy session cookie for the proxy: login worked, the session is worth using. */
  hasLiveSession(): boolean {
    return Date.now() < this.sessionExpiresAt;
  }

  /**
   * Whether the session is worth sending: live, and not about to end. The proxy counts its life from when it issued it
   * (a little before it arrived here) and checks it as a call arrives (a little after it left): a call sent in the
   * session's last moments met the proxy's refusal. The margin: a tenth of what the session had left when it came, at
   * most `SESSION_END_MARGIN_MS`.
   */
  hasUsableSession(): boolean {
    return Date.now() < this.sessionUsableUntil;
  }

  /** When the proxy's session cookie expires (ms since the epoch; Infinity for a browser-session cookie). */
  get sessionExpiry(): number {
    return this.sessionExpiresAt;
  }

  /** From the cache when this origin and path were asked before (a pooled call's URL is never parsed for it). */
  cookieHeader(target: CookieTarget): string {
    const key = cookieScopeOf(target);
    const cached = this.headers.get(key);
    const now = Date.now();
    if (cached !== undefined && now < cached.validUntil) return cached.value;
    const cookies = this.jar.getCookiesSync(urlOf(target)).filter((cookie) => now < this.expiryOf(cookie));
    const value = cookies.map((cookie) => cookie.cookieString()).join('; ');
    // Valid until the first of these cookies expires; only `store` can add or replace one.
    const validUntil = Math.min(...cookies.map((cookie) => this.expiryOf(cookie)));
    if (this.headers.size >= MAX_CACHED_HEADERS) this.headers.clear();
    if (now < validUntil) this.headers.set(key, { value, validUntil });
    return value;
  }

  /**
   * The session's cookies alone, for the proxy's own endpoints (`ProxySessionProbe`), where nothing of the backend's
   * belongs: a backend may scope cookies to `<prefix>auth` (they ride on no call of its own) and fill them up to
   * `cookies.maxHeaderBytes`, to make that one request too large for the front, whose refusal would then read as the
   * proxy's. Nothing the answer sets is stored: the session cookie comes from the login's callback only.
   */
  sessionOnly(): HopCookieJar {
    return {
      cookieHeader: (target) => {
        const now = Date.now();
        return this.jar
          .getCookiesSync(urlOf(target))
          .filter((cookie) => this.sessionCookie.test(cookie.key) && now < this.expiryOf(cookie))
          .map((cookie) => cookie.cookieString())
          .join('; ');
      },
      // Nothing of the probe's answer is kept, and only a backend answer's claim on the session cookie is ever read.
      store: () => false,
    };
  }

  /**
   * Drops every cookie but the session's: what a `431` (the backend or the front refusing our headers) asks for. Those
   * are the backend's cookies (the login's own are gone with its answers' paths or expiry); a new login would bring a
   * session of the same size and no smaller jar. Returns whether any was dropped.
   */
  dropBackendCookies(): boolean {
    const dropped = this.allCookies().filter((cookie) => !this.sessionCookie.test(cookie.key));
    for (const cookie of dropped) this.cookieStore.removeCookie(cookie.domain as string, cookie.path as string, cookie.key, () => undefined);
    if (dropped.length === 0) return false;
    this.cookieDrops += 1;
    this.cookiesChanged();
    return true;
  }

  /**
   * Returns whether the answer set the proxy's session cookie (or a part of it) in a way the jar ignores. The proxy
   * passes the backend's `Set-Cookie` on, so any answer may carry one: a deletion, a shorter expiry or a cookie at a
   * narrower path ends or shadows the session (a GitHub login on a later call, outside every re-login bound), and a new
   * value serves the caller as whoever that value belongs to (a backend sees every caller's cookie). So the session
   * cookie is taken from the login's callback only. A `--cookie-refresh` renewal is not taken either, wherever it comes
   * from: one riding on a backend's answer cannot be told from the backend's own, and `<prefix>auth` is the proxy's only
   * where the front routes it there (a front routing it to the backend let a backend's "renewal" swap callers). The
   * session it renews stays valid at the proxy until its own expiry, which the jar honours, and the pool's lifetime
   * (`pool.maxAgeMs`, 1 h) is well within oauth2-proxy's default `--cookie-expire` (168 h). The session ends when its
   * cookie expires, or when the caller of `store` finds the proxy refused it and drops the jar (`BitlyProxyAuthStrategy`).
   */
  store(setCookies: readonly string[], url: URL): boolean {
    if (url.origin !== this.proxyUrl.origin) return false;
    const callback = url.pathname === this.callbackPath;
    const loggingIn = callback && !this.hasLiveSession();
    const parts = loggingIn ? this.contiguousParts(setCookies) : NO_PARTS;
    if (callback) this.sawCallback = true;
    let ignoredSession = false;
    for (const header of setCookies) {
      if (this.sessionCookie.test(cookieNameOf(header)) && (!loggingIn || this.clearsSession(header))) {
        ignoredSession = true;
        continue;
      }
      if (this.isStrayPart(header, parts)) continue;
      const cookie = this.jar.setCookieSync(header, url, { ignoreError: true });
      // Right after the store tough-cookie's own expiry is the receipt-based one.
      if (cookie !== undefined) this.expiries.set(cookie, cookie.expiryTime() ?? Infinity);
      else if (url.protocol === 'http:' && SECURE_ATTRIBUTE.test(header)) this.droppedSecureCookies = true;
    }
    this.keepWithinLimits();
    this.cookiesChanged();
    return ignoredSession;
  }

  /**
   * The parts `<name>_0`, `<name>_1`... that the login's callback answer sets, up to the first gap. oauth2-proxy
   * splits its session only there; a part from anywhere else (a backend behind the proxy) could overwrite
   * the session, or pad the Cookie header past its caps with cookies never dropped.
   */
  private contiguousParts(setCookies: readonly string[]): ReadonlySet<string> {
    const names = new Set(setCookies.map(cookieNameOf));
    const parts = new Set<string>();
    for (let n = 0; names.has(`${this.cookieName}_${n}`); n++) parts.add(`${this.cookieName}_${n}`);
    return parts;
  }

  /** A session part not among `parts`. */
  private isStrayPart(header: string, parts: ReadonlySet<string>): boolean {
    const name = cookieNameOf(header);
    return name !== this.cookieName && this.sessionCookie.test(name) && !parts.has(name);
  }

  /** A `Set-Cookie` deleting the session cookie (or one of its parts). */
  private clearsSession(header: string): boolean {
    return (Cookie.parse(header)?.expiryTime() ?? Infinity) <= Date.now();
  }

  /** What a shared store keeps of the jar (the cookies are secrets: it encrypts them). */
  snapshot(): ProxySessionJarSnapshot {
    return {
      cookies: this.allCookies().map((cookie) => {
        const expiresAt = this.expiryOf(cookie);
        return { cookie: cookie.toJSON(), expiresAt: Number.isFinite(expiresAt) ? expiresAt : null };
      }),
    };
  }

  /** The jar a snapshot describes (taken by another replica, say). */
  static fromSnapshot(proxyUrl: URL, limits: ResolvedBackendSessionOptions['cookies'], cookieName: string, snapshot: ProxySessionJarSnapshot): ProxySessionJar {
    const jar = new ProxySessionJar(proxyUrl, limits, cookieName);
    for (const { cookie, expiresAt } of snapshot.cookies) {
      const restored = Cookie.fromJSON(cookie);
      if (restored === undefined) continue;
      jar.cookieStore.putCookie(restored, () => undefined);
      jar.expiries.set(restored, expiresAt ?? Infinity);
    }
    // Within this replica's limits, whatever the one that shared it had (a lower cap, an older default).
    jar.keepWithinLimits();
    jar.cookiesChanged();
    return jar;
  }

  /** Recomputes what calls ask (the session's expiry) and forgets the cached Cookie headers. */
  private cookiesChanged(): void {
    this.headers.clear();
    this.sessionExpiresAt = Math.max(
      -Infinity,
      ...this.jar
        .getCookiesSync(this.proxyUrl)
        .filter((cookie) => this.sessionCookie.test(cookie.key))
        .map((cookie) => this.expiryOf(cookie)),
    );
    this.sessionUsableUntil = this.sessionExpiresAt - Math.min(SESSION_END_MARGIN_MS, Math.max(0, this.sessionExpiresAt - Date.now()) / 10);
  }

  /** Every stored cookie, oldest first (MemoryCookieStore answers synchronously). */
  private allCookies(): Cookie[] {
    let all: Cookie[] = [];
    this.cookieStore.getAllCookies((_error, cookies) => {
      all = cookies ?? [];
    });
    return all;
  }

  /** A backend setting cookies on every answer must not grow the Cookie header until requests fail (431). */
  private keepWithinLimits(): void {
    const all = this.allCookies();
    let count = all.length;
    let bytes = all.reduce((sum, cookie) => sum + cookie.cookieString().length + 2, 0);
    for (const cookie of all) {
      if (count <= this.limits.maxPerSession && bytes <= this.limits.maxHeaderBytes) return;
      if (this.sessionCookie.test(cookie.key)) continue;
      this.cookieStore.removeCookie(cookie.domain as string, cookie.path as string, cookie.key, () => undefined);
      count -= 1;
      bytes -= cookie.cookieString().length + 2;
    }
  }

  private expiryOf(cookie: Cookie): number {
    return this.expiries.get(cookie) ?? cookie.expiryTime() ?? Infinity;
  }
}
