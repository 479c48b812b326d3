import { appendQueryParams } from './query-params.appender.js';

describe('appendQueryParams', () => {
  it('appends in order, repeating arrays and leaving out null and undefined', () => {
    const url = new URL('http://host/api?a=0');
    appendQueryParams(url, { a: 1, b: ['x', true], skip: undefined, none: null, c: 'y z' });
    expect(url.search).toBe('?a=0&a=1&b=x&b=true&c=y+z');
  });
});
