/**
 * oauth2-proxy's own endpoints under its `--proxy-prefix`, read from the start URL (`auth.data.endpoint`:
 * `https://host/oauth2/start` -> `/oauth2/`). The proxy serves them itself, never the backend; the jar, the refusal
 * shapes and the session probe all reason about them, so they are derived in one place.
 */
export interface ProxyEndpoints {
  /** `/oauth2/`: ends with a slash; `/` when the proxy serves its endpoints at the root. */
  readonly prefix: string;
  readonly start: string;
  readonly signIn: string;
  /** Where the proxy issues the session after GitHub's authorization. */
  readonly callback: string;
  /** `AuthOnly`, nginx's `auth_request` endpoint: 202 for a session it takes. */
  readonly auth: string;
  /** Every route oauth2-proxy v7 serves under the prefix. */
  readonly all: ReadonlySet<string>;
}

const ROUTES = ['start', 'sign_in', 'sign_out', 'callback', 'auth', 'userinfo'] as const;

export function proxyEndpointsOf(startUrl: URL): ProxyEndpoints {
  const prefix = startUrl.pathname.slice(0, startUrl.pathname.lastIndexOf('/') + 1);
  return {
    prefix,
    start: `${prefix}start`,
    signIn: `${prefix}sign_in`,
    callback: `${prefix}callback`,
    auth: `${prefix}auth`,
    all: new Set(ROUTES.map((route) => `${prefix}${route}`)),
  };
}
