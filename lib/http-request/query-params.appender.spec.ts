import { appendQueryParams, formEncodedQuery, hrefWithQuery } from './query-params.appender.js';

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

describe('formEncodedQuery', () => {
  it('writes exactly what URLSearchParams writes, for every kind of character', () => {
    const samples = ['plain', 'a b', "!'()~*-._", 'é&=+%/?#', '日本語', '😀', 'lone \ud800 surrogate', '\udfff', 'tab\tnew\nline', '', 'a%20b'];
    // A seeded spread of code points too: ASCII, Latin-1, BMP and astral, and lone surrogates.
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 300; n++) {
      let text = '';
      for (let i = next() % 12; i > 0; i--) {
        const pick = next() % 4;
        const code = pick === 0 ? next() % 128 : pick === 1 ? next() % 256 : pick === 2 ? next() % 0x10000 : 0x10000 + (next() % 0xfffff);
        text += String.fromCodePoint(code);
      }
      samples.push(text);
    }
    for (const text of samples) {
      const params = { [text]: text, k: [text, 1, false] };
      const expected = new URLSearchParams([[text, text], ['k', text], ['k', '1'], ['k', 'false']]).toString();
      expect(formEncodedQuery(params)).toBe(expected);
    }
  });

  it('leaves out null and undefined, and is empty when nothing is left', () => {
    expect(formEncodedQuery({ a: null, b: undefined })).toBe('');
    expect(formEncodedQuery({ a: null, b: 2, c: [] })).toBe('b=2');
  });
});

describe('hrefWithQuery', () => {
  it.each([
    ['http://host/api', 'http://host/api?n=1'],
    ['http://host/api?', 'http://host/api?n=1'],
    ['http://host/api?q=a%20b&flag', 'http://host/api?q=a%20b&flag&n=1'],
    ['http://host/api#frag', 'http://host/api?n=1#frag'],
    ['http://host/api?q#frag?x', 'http://host/api?q&n=1#frag?x'],
  ])('puts the query where appendQueryParams does: %s', (href, expected) => {
    expect(hrefWithQuery(href, 'n=1')).toBe(expected);
    const url = new URL(href);
    appendQueryParams(url, { n: 1 });
    expect(url.href).toBe(expected);
  });

  it('returns the href unchanged for an empty query', () => {
    expect(hrefWithQuery('http://host/api?', '')).toBe('http://host/api?');
  });
});
