/** What oauth2-proxy learns about the user from GitHub. */
export interface RedeemedIdentity {
  login: string;
  email: string;
}

export interface GithubEndpoints {
  githubUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

const REDEEM_TIMEOUT_MS = 15_000;

/**
 * Server-to-server part of the callback, as oauth2-proxy's GitHub provider does it: code -> access
 * token -> /user and /user/emails. Throws on any failure (the caller answers 500, like the proxy).
 */
export async function redeemGithubCode(code: string, endpoints: GithubEndpoints, stop: AbortSignal): Promise<RedeemedIdentity> {
  const signal = AbortSignal.any([stop, AbortSignal.timeout(REDEEM_TIMEOUT_MS)]);
  const tokenResponse = await fetch(`${endpoints.githubUrl}/login/oauth/access_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      client_id: endpoints.clientId,
      client_secret: endpoints.clientSecret,
      code,
      grant_type: 'authorization_code',
      redirect_uri: endpoints.redirectUri,
    }),
    signal,
  });
  const token = (await tokenResponse.json()) as { access_token?: unknown; error?: unknown };
  if (typeof token.access_token !== 'string') throw new Error(`GitHub refused the code: ${String(token.error)}`);
  const authorization = { authorization: `token ${token.access_token}`, accept: 'application/vnd.github.v3+json' };
  const user = (await getJson(`${endpoints.githubUrl}/api/v3/user`, authorization, signal)) as { login?: unknown };
  const emails = (await getJson(`${endpoints.githubUrl}/api/v3/user/emails`, authorization, signal)) as Array<{ email?: unknown; primary?: unknown }>;
  if (typeof user.login !== 'string') throw new Error('GitHub /user answered without a login');
  const primary = Array.isArray(emails) ? emails.find((e) => e.primary === true && typeof e.email === 'string') : undefined;
  return { login: user.login, email: typeof primary?.email === 'string' ? primary.email : '' };
}

async function getJson(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<unknown> {
  const response = await fetch(url, { headers, signal });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return response.json();
}
