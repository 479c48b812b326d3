import { appendQueryParams } from './query-params.appender.js';

describe('appendQueryParams', () => {
  it('appends in order, repeating arrays and leaving out null and undefined', () => {
    const url = new URL('http://host/api?a=0');
    appendQueryParams(url, { a: 1, b: ['x', true], skip: undefined, none: null, c: 'y z' });
    expect(url.search).toBe('?a=0&a=1&b=x&b=true&c=y+z');
  });

  it("keeps the URL's own query as it was written, and leaves a URL without parameters untouched", () => {
    const url = new URL('http://host/api?q=a%20b&flag#frag');
    appendQueryParams(url, { n: 'é&=' });
    expect(url.href).toBe('http://host/api?q=a%20b&flag&n=%C3%A9%26%3D#frag');
    const bare = new URL('http://host/api?');
    appendQueryParams(bare, { skip: undefined });
    expect(bare.href).toBe('http://host/api?');
  });
});
