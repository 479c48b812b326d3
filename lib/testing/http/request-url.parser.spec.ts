import type { IncomingMessage } from 'node:http';
import { parseCookieHeader } from './cookie.codec.js';
import { acceptsJson, parseRequestUrl, safeLocalPath } from './request-url.parser.js';

const request = (fields: Partial<IncomingMessage>) => fields as IncomingMessage;

describe('request parsing of the simulated servers', () => {
  it.each([
    ['/api?metric=a&job=b', '/api?metric=a&job=b'],
    [undefined, '/'],
    ['', '/'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['relative', '/'],
    ['/with space', '/'],
    [`/${'a'.repeat(3000)}`, '/'],
  ])('keeps only local redirect targets: %s -> %s', (candidate, expected) => {
    expect(safeLocalPath(candidate)).toBe(expected);
  });

  it('reads absolute-form request targets as their path', () => {
    expect(parseRequestUrl(request({ url: 'http://other.example/x?y=1' }))?.pathname).toBe('/x');
    expect(parseRequestUrl(request({ url: '//double/slash' }))?.pathname).toBe('/slash');
  });

  it("spots API callers by Accept as oauth2-proxy's isAjax does: application/json exactly, as one media range", () => {
    expect(acceptsJson(request({ headers: { accept: 'application/json' } }))).toBe(true);
    expect(acceptsJson(request({ headers: { accept: 'text/plain, application/json, */*' } }))).toBe(true);
    expect(acceptsJson(request({ headers: { accept: 'text/html, Application/JSON;q=0.9' } }))).toBe(false);
    expect(acceptsJson(request({ headers: { accept: 'application/json; charset=utf-8' } }))).toBe(false);
    expect(acceptsJson(request({ headers: { accept: 'application/json-patch+json, */*' } }))).toBe(false);
    expect(acceptsJson(request({ headers: { accept: 'text/html' } }))).toBe(false);
    expect(acceptsJson(request({ headers: {} }))).toBe(false);
  });

  it('parses Cookie headers leniently: junk skipped, first duplicate wins', () => {
    const cookies = parseCookieHeader(request({ headers: { cookie: 'a=1; junk; =x; b = 2 ; a=3; c=x=y' } }));
    expect([...cookies]).toEqual([['a', '1'], ['b', '2'], ['c', 'x=y']]);
    expect(parseCookieHeader(request({ headers: {} })).size).toBe(0);
  });
});
