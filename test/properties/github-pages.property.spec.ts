// The page parser and classifier over generated HTML (issue 26): any text, and any mix of the markup
// GitHub's pages are made of, parses within its bounds and classifies without a throw; the login form
// found posts where its own markup says, resolved against the page, so the flow's origin check sees it.
import fc from 'fast-check';
import { classifyGitHubPage, findLoginForm } from '../../lib/backend-auth/login/github-login-page.classifier.js';
import { parseHtmlPage } from '../../lib/backend-auth/login/html-form.parser.js';
import { anyText, PROPERTY_RUNS } from './property-runs.js';

const PAGE_URLS = ['https://github.example/login', 'https://github.example/session', 'https://github.example/sessions/two-factor/app',
  'https://github.example/sessions/two-factor/mobile', 'https://github.example/sessions/two-factor/webauthn', 'https://github.example/login/oauth/authorize',
  'https://github.example/sessions/two-factor', 'https://github.example/sessions/verified-device', 'https://github.example/settings/two_factor_checkup'];

const attribute = fc.tuple(
  fc.constantFrom('name', 'type', 'value', 'action', 'method', 'href', 'src', 'id', 'class', 'disabled', 'checked', 'autocomplete'),
  fc.oneof(anyText(30), fc.constantFrom('password', 'hidden', 'text', 'submit', 'post', 'get', 'login', 'otp', 'app_otp', '/session',
    '/sessions/two-factor', 'https://evil.example/session', '//evil.example/x', 'javascript:alert(1)', 'https://octocaptcha.com/', '')),
  fc.constantFrom('"', "'", ''),
).map(([name, value, quote]) => ` ${name}=${quote}${quote === '' ? value.replace(/[\s>]/g, '') : value.replaceAll(quote, '')}${quote}`);
const tag = fc.constantFrom('form', 'input', 'button', 'textarea', 'a', 'iframe', 'title', 'script', 'style', 'div', 'p', 'template', 'select', 'FORM', 'Input');
/** Markup the way pages are made: tags with attributes, closed or not, text between, entities. */
const markup: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.tuple(tag, fc.array(attribute, { maxLength: 5 }), fc.boolean()).map(([name, attrs, close]) => `<${name}${attrs.join('')}>${close ? `</${name}>` : ''}`),
      anyText(40),
      fc.constantFrom('&amp;', '&lt;', '&#0;', '&#x110000;', '<!--', '-->', '<![CDATA[', ']]>', '</form>', '<form method=post>', '<input type=password name=password>'),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));
const html = fc.oneof(anyText(2_000), markup);

describe('GitHub pages, over generated HTML', () => {
  it('parses any page within its bounds: text at most 16 KiB, at most 200 links, every control named', () => {
    fc.assert(
      fc.property(html, (text) => {
        const page = parseHtmlPage(text);
        expect(page.text.length).toBeLessThanOrEqual(16 * 1024);
        expect(page.links.length).toBeLessThanOrEqual(200);
        for (const form of page.forms) for (const input of form.inputs) expect(typeof input.name).toBe('string');
      }),
      PROPERTY_RUNS,
    );
  });

  it('classifies any page at any of GitHub\'s login paths as one of the known kinds, never throwing', () => {
    const kinds = ['login', 'code', 'other-method', 'captcha', 'interstitial', 'account-picker', 'consent', 'authorize', 'unknown'];
    fc.assert(
      fc.property(html, fc.constantFrom(...PAGE_URLS), (text, url) => {
        expect(kinds).toContain(classifyGitHubPage(parseHtmlPage(text), new URL(url)).kind);
      }),
      PROPERTY_RUNS,
    );
  });

  it('gives a login form whose action is its markup\'s, resolved against the page (so the flow sees where the password would go)', () => {
    const action = fc.oneof(anyText(20), fc.constantFrom('/session', 'https://evil.example/session', '//evil.example/session', 'http://github.example/session', 'session', '?x=1', '', 'http://', 'https://[::1', 'http://a b/session'));
    fc.assert(
      fc.property(action, markup, (written, noise) => {
        const quoted = written.replaceAll('"', '');
        const pageUrl = new URL('https://github.example/login');
        const page = parseHtmlPage(`${noise.replace(/<\/?form/gi, '')}<form method="post" action="${quoted}"><input type="password" name="password"></form>`);
        const form = findLoginForm(page, pageUrl);
        let expected: string | undefined;
        try {
          expected = new URL(page.forms.at(-1)!.action ?? '', pageUrl).href;
        } catch {
          expected = undefined; // not a URL at all: no form to post to
        }
        expect(form?.action.href).toBe(expected);
      }),
      PROPERTY_RUNS,
    );
  });
});
