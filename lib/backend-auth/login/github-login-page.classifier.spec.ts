import { classifyGitHubPage, findLoginForm, isOAuthAuthorizationPage } from './github-login-page.classifier.js';
import { parseHtmlPage } from './html-form.parser.js';

const PAGE_URL = new URL('https://github.example/login?return_to=%2Flogin%2Foauth%2Fauthorize');

describe('GitHub login page classification', () => {
  it('picks the password form posting to /session, with all its hidden inputs, whatever the markup', () => {
    const html = `<html><head><title>Sign in</title></head><body>
      <form action="/search" method="get"><input name="q"></form>
      <form action="/webauthn" method="post"><input type=hidden name=x value=1><input type="password" name="pin"></form>
      <FORM METHOD="POST" ACTION="/session" accept-charset="UTF-8">
        <input value="tok&amp;en=" type="hidden" name="authenticity_token">
        <input type='hidden' name='return_to' value='/login/oauth/authorize?client_id=abc&amp;state=s'>
        <input type="text" name="login"><input type="password" name="password">
        <input type="submit" name="commit" value="Sign in">
      </FORM></body></html>`;
    const form = findLoginForm(parseHtmlPage(html), PAGE_URL);
    expect(form?.action.href).toBe('https://github.example/session');
    expect(form?.fields).toEqual([
      ['authenticity_token', 'tok&en='],
      ['return_to', '/login/oauth/authorize?client_id=abc&state=s'],
      ['login', ''],
      ['password', ''],
    ]);
  });

  it('resolves a form without action to the page URL and finds none without a password field', () => {
    const withoutAction = '<form method="post"><input type="password" name="password"></form>';
    expect(findLoginForm(parseHtmlPage(withoutAction), PAGE_URL)?.action.href).toBe(PAGE_URL.href);
    expect(findLoginForm(parseHtmlPage('<form method="post" action="/session"><input name="login"></form>'), PAGE_URL)).toBeUndefined();
  });

  it("resolves the security-key page's link to the app's code page as written: the flow, not the classifier, decides where it may go", () => {
    const webauthn = new URL('https://github.example/sessions/two-factor/webauthn');
    const page = (href: string) => parseHtmlPage(`<title>Two-factor</title><ul><li><a href="${href}">Use your authenticator app</a></li></ul>`);
    const keyPage = (alternative: string | undefined) => ({ kind: 'other-method', showing: 'security-key', alternative: alternative && new URL(alternative) });
    expect(classifyGitHubPage(page('/sessions/two-factor/app'), webauthn)).toEqual(keyPage('https://github.example/sessions/two-factor/app'));
    expect(classifyGitHubPage(page('http://127.0.0.1:9/sessions/two-factor/app'), webauthn)).toEqual(keyPage('http://127.0.0.1:9/sessions/two-factor/app'));
    expect(classifyGitHubPage(page('/sessions/two-factor/recovery'), webauthn)).toEqual(keyPage(undefined));
  });

  it("prefers a link on the page's own origin to one elsewhere (which the flow refuses)", () => {
    const mobile = new URL('https://github.example/sessions/two-factor/mobile');
    const page = parseHtmlPage('<a href="https://evil.example/sessions/two-factor/app">x</a><a href="/sessions/two-factor/app">y</a>');
    expect(classifyGitHubPage(page, mobile)).toMatchObject({ alternative: new URL('https://github.example/sessions/two-factor/app') });
  });

  it('prefers the app, then SMS, then the chooser, and never leads a page back to itself', () => {
    const links = (...hrefs: string[]) => parseHtmlPage(hrefs.map((href) => `<a href="${href}">x</a>`).join(''));
    const at = (path: string) => new URL(path, 'https://github.example');
    const all = links('/sessions/two-factor', '/sessions/two-factor/sms/confirm', '/sessions/two-factor/app');
    expect(classifyGitHubPage(all, at('/sessions/two-factor/mobile'))).toMatchObject({ alternative: at('/sessions/two-factor/app') });
    expect(classifyGitHubPage(links('/sessions/two-factor', '/sessions/two-factor/sms'), at('/sessions/two-factor/mobile'))).toMatchObject({
      alternative: at('/sessions/two-factor/sms'),
    });
    expect(classifyGitHubPage(links('/sessions/two-factor'), at('/sessions/two-factor'))).toEqual({ kind: 'other-method', showing: 'chooser', alternative: undefined });
    expect(classifyGitHubPage(links('/sessions/two-factor'), at('/sessions/two-factor/sms/confirm'))).toMatchObject({ alternative: undefined });
  });

  it('reads a captcha only from its frame (Octocaptcha, Arkose), not from a word on the page', () => {
    const at = new URL('https://github.example/session');
    expect(classifyGitHubPage(parseHtmlPage('<iframe src="https://client-api.arkoselabs.com/fc/gc/?token=x"></iframe>'), at)).toEqual({ kind: 'captcha' });
    expect(classifyGitHubPage(parseHtmlPage('<iframe src="https://octocaptcha.com.evil.example/"></iframe>'), at)).toEqual({ kind: 'unknown' });
    expect(classifyGitHubPage(parseHtmlPage('<p>captcha</p>'), at)).toEqual({ kind: 'unknown' });
  });

  it("recognises GitHub's OAuth app authorization page", () => {
    const html = '<title>Authorize application</title><form method="post" action="/login/oauth/authorize"><button>Authorize</button></form>';
    expect(isOAuthAuthorizationPage(parseHtmlPage(html), PAGE_URL)).toBe(true);
    expect(isOAuthAuthorizationPage(parseHtmlPage('<title>Sign in</title>'), PAGE_URL)).toBe(false);
  });
});
