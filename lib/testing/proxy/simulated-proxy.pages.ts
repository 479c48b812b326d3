import { STATUS_CODES } from 'node:http';
import { escapeHtml } from '../http/http-response.writer.js';

/** oauth2-proxy's `prepareNoCache` (oauthproxy.go): on its sign-in page and everything under its prefix. */
export const NO_CACHE_HEADERS = {
  expires: 'Thu, 01 Jan 1970 00:00:00 UTC',
  'cache-control': 'no-cache, no-store, must-revalidate, max-age=0',
  'x-accel-expires': '0',
} as const;

/** `errorMessages` of pkg/app/pagewriter/error_page.go: what its error page says without `--show-debug-on-error`. */
const ERROR_MESSAGES: Record<number, string> = {
  500: 'Oops! Something went wrong. For more information contact your server administrator.',
  404: 'We could not find the resource you were looking for.',
  403: 'You do not have permission to access this resource.',
  401: 'You need to be logged in to access this resource.',
};

/** The frame of pkg/app/pagewriter's templates (v7.15), their styles, script and logo left out. */
function proxyPage(prefix: string, title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en" charset="utf-8">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${prefix}/static/css/bulma.min.css">
</head>
<body class="has-background-light">
<section class="section has-background-light">
${body}
</section>
<footer class="footer has-text-grey has-background-light is-size-7"><div class="content has-text-centered">
<p>Secured with <a href="https://github.com/oauth2-proxy/oauth2-proxy#oauth2_proxy" class="has-text-grey">OAuth2 Proxy</a> version v7.15.0</p>
</div></footer>
</body>
</html>
`;
}

/**
 * sign_in.html: a GET form to `<prefix>/start` carrying `rd` (where to come back to), and with
 * `--htpasswd-file` a username/password form of the proxy's own posting to `<prefix>/sign_in`.
 */
export function signInPage(prefix: string, rd: string, htpasswdForm: boolean): string {
  const value = escapeHtml(rd);
  const htpasswd = htpasswdForm
    ? `<hr>
<form method="POST" action="${prefix}/sign_in" class="block"><input type="hidden" name="rd" value="${value}">
  <div class="field"><label class="label" for="username">Username</label><div class="control"><input class="input" type="text" placeholder="e.g. userx@example.com" name="username" id="username"></div></div>
  <div class="field"><label class="label" for="password">Password</label><div class="control"><input class="input" type="password" placeholder="********" name="password" id="password"></div></div>
  <button class="button is-primary">Sign in</button></form>`
    : '';
  return proxyPage(
    prefix,
    'Sign In',
    `<div class="box block sign-in-box has-text-centered">
<form method="GET" action="${prefix}/start">
  <input type="hidden" name="rd" value="${value}">
  <button type="submit" class="button block is-primary">Sign in with GitHub</button>
</form>
${htpasswd}
</div>`,
  );
}

/**
 * error.html as `ErrorPage` renders it: the status, its text, the message (the default one of the
 * status unless a call site gives its own) and the request id, then "Go back" to `redirect` and a
 * "Sign in" form to `<prefix>/sign_in` with `rd`.
 */
export function errorPage(prefix: string, status: number, redirect: string, requestId: string, message = ERROR_MESSAGES[status] ?? 'Unknown error'): string {
  const title = STATUS_CODES[status] ?? '';
  const rd = escapeHtml(redirect);
  return proxyPage(
    prefix,
    `${status} ${title}`,
    `<div class="box block error-box has-text-centered">
<div class="status-code">${status}</div>
<div class="block"><h1 class="subtitle is-1">${escapeHtml(title)}</h1></div>
<div id="more-info" class="block card is-fullwidth is-shadowless"><div class="card-content has-text-left is-hidden">
  <div class="content">${escapeHtml(message)}</div>
  <div class="content">Request ID: ${escapeHtml(requestId)}</div>
</div></div>
<hr>
<div class="columns">
  <div class="column"><form method="GET" action="${rd}"><button type="submit" class="button is-danger is-fullwidth">Go back</button></form></div>
  <div class="column"><form method="GET" action="${prefix}/sign_in"><input type="hidden" name="rd" value="${rd}"><button type="submit" class="button is-primary is-fullwidth">Sign in</button></form></div>
</div>
</div>`,
  );
}
