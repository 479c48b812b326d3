import { simulatedBackendHandler } from './backend/simulated-backend.handler.js';
import { SimulatedGithubSite } from './github/simulated-github.server.js';
import { SimulatedGithubState } from './github/simulated-github.state.js';
import { startLoopbackServer } from './http/loopback-server.js';
import { randomToken } from './http/random-token.js';
import { SimulatedProxyFront } from './proxy/simulated-proxy.server.js';
import { SimulatedFaultSwitches } from './simulated-fault.switches.js';
import type { SimulatedStack, SimulatedStackOptions, SimulatedUser } from './simulated-stack.interface.js';
import { SimulatedStatsRecorder } from './simulated-stats.recorder.js';

const DEFAULT_USERS: SimulatedUser[] = [{ login: 'demo', password: 'demo' }];
/** Refused passwords before GitHub's lockout message, by default (GitHub does not publish its own figure). */
const DEFAULT_LOCKOUT_AFTER_FAILURES = 10;
/** GitHub's "Rate limits for OAuth apps": the eleventh sign-in of a user within an hour needs re-authorisation. */
const DEFAULT_OAUTH_SIGN_INS_PER_HOUR = 10;
/** oauth2-proxy's `--proxy-prefix`: one or more path segments, no trailing slash. */
const PROXY_PREFIX = /^(?:\/[A-Za-z0-9._~-]+)+$/;
/** oauth2-proxy's default --cookie-expire. */
const DEFAULT_SESSION_LIFETIME_MS = 168 * 60 * 60 * 1000;

/**
 * Starts a GitHub-like login site and an oauth2-proxy-like front (with its backend) on ephemeral
 * loopback ports. Always `await stack.stop()` when done.
 */
export async function startSimulatedStack(options: SimulatedStackOptions = {}): Promise<SimulatedStack> {
  const host = options.host ?? '127.0.0.1';
  const sessionLifetimeMs = options.proxySessionLifetimeMs ?? DEFAULT_SESSION_LIFETIME_MS;
  if (!Number.isFinite(sessionLifetimeMs) || sessionLifetimeMs < 1000) {
    throw new RangeError(`SimulatedStackOptions.proxySessionLifetimeMs must be a finite number of ms >= 1000, got ${sessionLifetimeMs}`);
  }
  const cookieSecure = options.cookieSecure ?? true;
  const prefix = options.proxyPrefix ?? '/oauth2';
  if (!PROXY_PREFIX.test(prefix)) throw new RangeError(`SimulatedStackOptions.proxyPrefix must be a path such as "/oauth2" (no trailing slash), got ${JSON.stringify(prefix)}`);
  for (const [name, url] of Object.entries(options.publicUrls ?? {})) {
    if (url !== undefined && !isBaseUrl(url)) throw new RangeError(`SimulatedStackOptions.publicUrls.${name} must be an http(s) URL without a path such as "http://127.0.0.1:8080", got ${JSON.stringify(url)}`);
  }
  const faults = new SimulatedFaultSwitches();
  const stats = new SimulatedStatsRecorder();
  const stopping = new AbortController();
  const isStopping = () => stopping.signal.aborted;

  // The two servers refer to each other's URLs, so both listen before either is built.
  // No request can arrive before this function returns, so the routers are set by then.
  const routers: { github?: SimulatedGithubSite; proxy?: SimulatedProxyFront } = {};
  const githubServer = await startLoopbackServer(host, (req, res) => routers.github!.handle(req, res), () => faults.githubDown || isStopping(), options.tls);
  const proxyServer = await startLoopbackServer(host, (req, res) => routers.proxy!.handle(req, res), () => faults.proxyDown || isStopping(), options.tls).catch(
    async (error: unknown) => {
      await githubServer.close();
      throw error;
    },
  );

  const proxyUrl = options.publicUrls?.proxy ?? proxyServer.url;
  const githubUrl = options.publicUrls?.github ?? githubServer.url;
  const oauthApp = { clientId: `Iv1.${randomToken(8)}`, clientSecret: randomToken(30), callbackUrl: `${proxyUrl}${prefix}/callback` };
  const state = new SimulatedGithubState(oauthApp);
  try {
    for (const user of options.users ?? DEFAULT_USERS) state.addUser(user);
  } catch (error) {
    await Promise.all([githubServer.close(), proxyServer.close()]);
    throw error;
  }
  routers.github = new SimulatedGithubSite({
    url: githubUrl,
    state,
    faults,
    stats,
    cookieSecure,
    lockoutAfterFailures: options.lockoutAfterFailures ?? DEFAULT_LOCKOUT_AFTER_FAILURES,
    oauthSignInsPerHour: options.oauthSignInsPerHour ?? DEFAULT_OAUTH_SIGN_INS_PER_HOUR,
    strictLoginForm: options.strictLoginForm ?? true,
    requireUserAgent: options.requireUserAgent ?? true,
    onCode: options.onCode,
    signal: stopping.signal,
  });
  const proxy = new SimulatedProxyFront({
    github: { githubUrl, clientId: oauthApp.clientId, clientSecret: oauthApp.clientSecret, redirectUri: oauthApp.callbackUrl },
    sessionLifetimeMs,
    cookieSecure,
    splitSessionCookie: options.splitSessionCookie ?? false,
    cookieName: options.proxyCookieName ?? '_oauth2_proxy',
    csrfPerRequest: options.csrfPerRequest ?? false,
    skipProviderButton: options.skipProviderButton ?? false,
    apiRoutes: options.apiRoutes ?? [],
    htpasswdForm: options.htpasswdForm ?? false,
    prefix,
    nginxAuthRequest: options.nginxAuthRequest ?? false,
    handler: options.backendHandler ?? simulatedBackendHandler,
    faults,
    stats,
    signal: stopping.signal,
  });
  routers.proxy = proxy;

  let stopped: Promise<void> | undefined;
  return {
    proxyUrl,
    startUrl: `${proxyUrl}${prefix}/start`,
    githubUrl,
    serverUrls: { proxy: proxyServer.url, github: githubServer.url },
    stats,
    faults,
    addUser: (user) => state.addUser(user),
    twoFactorCode: (login) => state.twoFactorCode(login),
    emailedCode: (login) => state.account(login)?.lastEmail,
    expireSessions: () => proxy.expireSessions(),
    stop: () => {
      stopped ??= (async () => {
        stopping.abort();
        await Promise.all([githubServer.close(), proxyServer.close()]);
      })();
      return stopped;
    },
  };
}

/** `http(s)://host:port` and nothing more: the stack appends its paths to it. */
function isBaseUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && `${parsed.protocol}//${parsed.host}` === url;
}
