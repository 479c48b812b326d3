import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadLoginTools, onceUntilLoaded } from './login-tools.loader.js';

const LIB = resolve(import.meta.dirname, '../..');
const LOGIN_ONLY_PACKAGES = ['htmlparser2', 'tough-cookie'];

/** Packages loaded by importing `file`: its static imports, followed (`import type` and `import()` load nothing at boot). */
function packagesImportedAtBoot(file: string, seen = new Set<string>(), packages = new Set<string>()): Set<string> {
  if (seen.has(file)) return packages;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/^(?:import|export)\s+(?!type\s)(?:[^;']*?\sfrom\s+)?'([^']+)'/gm)].map((match) => match[1]);
  for (const specifier of specifiers) {
    if (specifier.startsWith('.')) packagesImportedAtBoot(join(dirname(file), specifier.replace(/\.js$/, '.ts')), seen, packages);
    else packages.add(specifier);
  }
  return packages;
}

describe('loadLoginTools', () => {
  it('gives a page parser and a session jar that work', async () => {
    const { parseHtmlPage, ProxySessionJar } = await loadLoginTools();
    expect(parseHtmlPage('<title> Sign in </title><form method="POST"><input name="login"></form>')).toEqual({
      title: 'Sign in',
      text: '',
      links: [],
      forms: [{ action: undefined, method: 'post', inputs: [{ name: 'login', type: 'text', value: '', disabled: false, checked: false }] }],
    });
    const proxy = new URL('http://127.0.0.1:4180/oauth2/start');
    const jar = new ProxySessionJar(proxy);
    jar.store(['_oauth2_proxy=s1; Path=/; Max-Age=60'], new URL('/oauth2/callback', proxy));
    expect(jar.hasLiveSession()).toBe(true);
  });

  it('loads them once per process', async () => {
    expect(await loadLoginTools()).toBe(await loadLoginTools());
  });

  it('keeps their packages out of what the public barrel loads at boot', () => {
    const atBoot = packagesImportedAtBoot(join(LIB, 'index.ts'));
    // The walk itself works: it reaches the packages the barrel does load statically.
    expect([...atBoot]).toEqual(expect.arrayContaining(['@nestjs/common', '@nestjs/core', 'class-validator']));
    expect(LOGIN_ONLY_PACKAGES.filter((name) => atBoot.has(name))).toEqual([]);
  });

  it('would notice a static import of them', () => {
    expect(packagesImportedAtBoot(join(import.meta.dirname, 'html-form.parser.ts'))).toContain('htmlparser2');
    expect(packagesImportedAtBoot(join(import.meta.dirname, 'proxy-session.jar.ts'))).toContain('tough-cookie');
  });
});

describe('onceUntilLoaded', () => {
  it('shares one load, and tries again after a failed one instead of keeping the failure', async () => {
    let calls = 0;
    const load = onceUntilLoaded(async () => {
      calls += 1;
      if (calls === 1) throw new Error('ENOENT: a login module went missing');
      return 'tools';
    });
    await expect(load()).rejects.toThrow('ENOENT');
    const [first, second] = await Promise.all([load(), load()]);
    expect([first, second, calls]).toEqual(['tools', 'tools', 2]);
  });
});
