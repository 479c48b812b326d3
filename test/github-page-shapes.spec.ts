// The login's parser and classifier over the page shapes of test/fixtures/github-pages (see its README).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyGitHubPage, findLoginForm, type GitHubPage, isIdentityProviderRedirect } from '../lib/backend-auth/login/github-login-page.classifier.js';
import { parseHtmlPage } from '../lib/backend-auth/login/html-form.parser.js';

const GITHUB = 'https://github.com';
const classify = (file: string, path: string): GitHubPage => {
  const html = readFileSync(join(import.meta.dirname, 'fixtures/github-pages', file), 'utf8');
  return classifyGitHubPage(parseHtmlPage(html), new URL(path, GITHUB));
};

describe('GitHub page shapes', () => {
  it('fills the sign-in form as a browser submits it: every successful control, the honeypot empty, no button but the one pressed', () => {
    const page = classify('login.html', '/login?return_to=%2Flogin%2Foauth%2Fauthorize');
    expect(page.kind).toBe('login');
    if (page.kind !== 'login') return;
    expect(page.lockedOut).toBe(false);
    expect(page.form.action.href).toBe(`${GITHUB}/session`);
    expect(page.form.fields.map(([name]) => name)).toEqual([
      'authenticity_token', 'add_account', 'login', 'password', 'webauthn-conditional', 'javascript-support', 'webauthn-support',
      'webauthn-iuvpaa-support', 'return_to', 'allow_signup', 'client_id', 'integration', 'required_field_9f3a', 'timestamp', 'timestamp_secret',
    ]);
    const fields = new Map(page.form.fields);
    expect(fields.get('required_field_9f3a')).toBe('');
    expect(fields.get('timestamp')).toBe('1795344000123');
    expect(fields.get('return_to')).toMatch(/^\/login\/oauth\/authorize\?client_id=Iv1\.3b8d2c&redirect_uri=/);
  });

  it('reads a refused password as the login form again, not locked out', () => {
    expect(classify('login-failed.html', '/session')).toMatchObject({ kind: 'login', lockedOut: false });
  });

  it('reads the "several failed attempts" page as a lockout', () => {
    expect(classify('login-lockout.html', '/session')).toMatchObject({ kind: 'login', lockedOut: true });
  });

  it.each([
    ['two-factor-app.html', '/sessions/two-factor/app', 'app', 'app_otp', '/sessions/two-factor'],
    ['two-factor-app-failed.html', '/sessions/two-factor', 'app', 'app_otp', '/sessions/two-factor'],
    ['two-factor-sms.html', '/sessions/two-factor/sms', 'sms', 'sms_otp', '/sessions/two-factor'],
    ['verified-device.html', '/sessions/verified-device', 'device-verification', 'otp', '/sessions/verified-device'],
  ])('finds the code form of %s at %s (%s, field %s)', (file, path, code, field, action) => {
    const page = classify(file, path);
    expect(page).toMatchObject({ kind: 'code', code, field });
    if (page.kind === 'code') {
      expect(page.form.action.pathname).toBe(action);
      expect(page.form.fields).toEqual([['authenticity_token', 'dHdvLWZhY3Rvci10b2tlbg=='], [field, '']]);
    }
  });

  it('offers the authenticator app of an account that also has a security key, and nothing to one that has only a key', () => {
    expect(classify('two-factor-webauthn.html', '/sessions/two-factor/webauthn')).toEqual({
      kind: 'other-method',
      showing: 'security-key',
      alternative: new URL(`${GITHUB}/sessions/two-factor/app`),
    });
    expect(classify('two-factor-webauthn-only.html', '/sessions/two-factor/webauthn')).toEqual({ kind: 'other-method', showing: 'security-key', alternative: undefined });
  });

  it.each([
    ['two-factor-mobile.html', '/sessions/two-factor/mobile?auto=true', 'mobile', '/sessions/two-factor/app'],
    ['two-factor-passkey.html', '/sessions/two-factor/webauthn', 'security-key', '/sessions/two-factor'],
    ['two-factor-chooser.html', '/sessions/two-factor', 'chooser', '/sessions/two-factor/app'],
    ['two-factor-sms-confirm.html', '/sessions/two-factor/sms/confirm', 'sms-confirm', '/sessions/two-factor/app'],
    ['two-factor-sms-confirm-only.html', '/sessions/two-factor/sms/confirm', 'sms-confirm', undefined],
  ])('reads %s at %s as the %s page without a code field, leading to %s', (file, path, showing, alternative) => {
    expect(classify(file, path)).toEqual({ kind: 'other-method', showing, alternative: alternative === undefined ? undefined : new URL(alternative, GITHUB) });
  });

  it('reads an Octocaptcha frame as a captcha before the password form it sits in', () => {
    expect(classify('login-captcha.html', '/session')).toEqual({ kind: 'captcha' });
  });

  it.each([
    ['two-factor-checkup.html', '/settings/two_factor_checkup', '/settings/two_factor_checkup/delay', []],
    ['recovery-prompt.html', '/settings/account_recovery_prompt', '/settings/account_recovery_prompt', [['recovery_prompt_action', 'postponed']]],
  ])("reads %s as an interstitial to put off, before any code form it has: its postpone form, the pressed button's value", (file, path, action, pressed) => {
    const page = classify(file, path);
    expect(page).toMatchObject({ kind: 'interstitial', postpone: { action: new URL(action, GITHUB) } });
    if (page.kind === 'interstitial') expect(page.postpone?.fields).toEqual([['authenticity_token', 'dHdvLWZhY3Rvci10b2tlbg=='], ...pressed]);
  });

  it.each([
    ['a SAML request', 'https://sso.example.test/saml2/idp/SSOService?SAMLRequest=PHNhbWxwOg%3D%3D&RelayState=x', true],
    ['a CAS login', 'https://cas.example.test/cas/login?service=https%3A%2F%2Fgithub.example%2Fsessions%2Fcas', true],
    ['an Azure AD SAML endpoint', 'https://login.microsoftonline.com/tenant/saml2', true],
    ['an unrelated detour', 'https://evil.example/collect', false],
  ])("recognises GitHub's /login redirecting to %s as an identity provider: %s", (_what, target, idp) => {
    expect(isIdentityProviderRedirect(new URL('https://github.example/login?return_to=%2F'), new URL(target), new URL('https://github.example/'))).toBe(idp);
  });

  it.each([
    ['authorize.html', '/login/oauth/authorize', 'authorize'],
    ['reauthorize.html', '/login/oauth/authorize', 'consent'],
    ['select-account.html', '/login/oauth/select_account', 'account-picker'],
  ])('classifies %s as %s', (file, path, kind) => {
    expect(classify(file, path).kind).toBe(kind);
  });

  it("finds oauth2-proxy's htpasswd form as a password form (the origin rule keeps GitHub passwords from it)", () => {
    const html = readFileSync(join(import.meta.dirname, 'fixtures/github-pages/oauth2-proxy-sign-in.html'), 'utf8');
    const proxy = new URL('https://api.lsst.codes/oauth2/sign_in');
    expect(findLoginForm(parseHtmlPage(html), proxy)?.action.href).toBe('https://api.lsst.codes/oauth2/sign_in');
  });

  it('reads no script or style as page text, and bounds it', () => {
    const page = parseHtmlPage(`<script>var x = "several failed attempts";</script><p>${'word '.repeat(10_000)}</p>`);
    expect(page.text).not.toContain('several');
    expect(page.text.length).toBeLessThanOrEqual(16 * 1024);
  });
});
