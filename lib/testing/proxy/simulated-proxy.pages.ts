import { escapeHtml } from '../http/http-response.writer.js';

function proxyPage(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en" charset="utf-8">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><section class="section"><div class="box block has-text-centered">
${body}
</div></section>
<footer>Secured with <a href="https://github.com/oauth2-proxy/oauth2-proxy">OAuth2 Proxy</a></footer>
</body>
</html>
`;
}

/**
 * oauth2-proxy's sign-in page: one button that starts the GitHub flow and comes back to `rd`, and
 * with `--htpasswd-file` a username/password form of its own posting to `/oauth2/sign_in`.
 */
export function signInPage(rd: string, htpasswdForm: boolean): string {
  const htpasswd = htpasswdForm
    ? `<hr><form class="block" method="POST" action="/oauth2/sign_in"><input type="hidden" name="rd" value="${escapeHtml(rd)}">
  <label class="label" for="username">Username</label><input class="input" type="text" name="username" id="username">
  <label class="label" for="password">Password</label><input class="input" type="password" name="password" id="password">
  <button class="button is-primary">Sign in</button></form>`
    : '';
  return proxyPage(
    'Sign In',
    `<form class="block" method="GET" action="/oauth2/start">
  <input type="hidden" name="rd" value="${escapeHtml(rd)}">
  <button type="submit" class="button block is-primary">Sign in with GitHub</button>
</form>${htpasswd}`,
  );
}

/** oauth2-proxy's error page (403 CSRF failures, 500 redeem failures). */
export function errorPage(status: number, title: string, message: string): string {
  return proxyPage(`${status} ${title}`, `<h1 class="title">${status}</h1><p>${escapeHtml(title)}</p><p>${escapeHtml(message)}</p>`);
}
