import 'reflect-metadata';
import { ApiKitOptionsError } from './apikit-options.error.js';
import { resolveApiKitOptions } from './apikit-options.resolver.js';

const BASE = { name: 'n', version: '1', repository: 'https://example.test/r', description: 'd' };

function problemsOf(openapi: unknown): readonly string[] {
  try {
    resolveApiKitOptions({ ...BASE, openapi });
  } catch (error) {
    expect(error).toBeInstanceOf(ApiKitOptionsError);
    return (error as ApiKitOptionsError).problems;
  }
  throw new Error('expected ApiKitOptionsError, the options were accepted');
}

describe('the openapi option', () => {
  it.each([
    [undefined, undefined],
    [false, undefined],
    [true, { path: '/openapi.json', ui: undefined }],
    [{}, { path: '/openapi.json', ui: undefined }],
    [{ path: '/api/openapi.json', ui: '/docs' }, { path: '/api/openapi.json', ui: '/docs' }],
  ])('%j resolves to %j (off by default)', (openapi, resolved) => {
    expect(resolveApiKitOptions({ ...BASE, openapi }).openapi).toEqual(resolved);
  });

  it.each([
    ['a number', 3, 'openapi: expected true, false or an object { path?, ui? }, got number'],
    ['a relative path', { path: 'openapi.json' }, 'openapi.path: expected an absolute path such as "/openapi.json", without query or fragment, got a string'],
    ['a ui path with a query', { ui: '/docs?x=1' }, 'openapi.ui: expected an absolute path such as "/docs", without query or fragment, got a string'],
    ['a non-string path', { path: 7 }, 'openapi.path: expected a string, got number'],
  ])('refuses %s, naming the field', (_what, openapi, problem) => {
    expect(problemsOf(openapi)).toEqual([problem]);
  });

  it('never echoes the refused value', () => {
    expect(problemsOf({ path: 'secret-looking-value' }).join('\n')).not.toContain('secret-looking-value');
  });

  it('refuses an unknown key', () => {
    expect(problemsOf({ path: '/o.json', title: 'x' })[0]).toMatch(/^openapi\.title: unknown option/);
  });
});
