// The direct client of scenario 4 needs the proxy session cookie the service would use. It logs
// in once per identity with nestjs-apikit's own login flow (GitHub form through the proxy), in
// an application context of the library, and reads the cookie out of the resulting jar.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApiKitModule } from 'nestjs-apikit';
// Internal classes, not in the public barrel: the bench needs the jar, which the public API never exposes.
import { BackendCredentials } from '../../dist/lib/backend-auth/context/backend-credentials.js';
import { BitlyProxyLoginFlow } from '../../dist/lib/backend-auth/login/bitly-proxy-login.flow.js';

/** @returns {Promise<string[]>} one `Cookie` header value per identity, in order */
export async function loginCookies({ startUrl, proxyUrl, githubUrl, identities }) {
  class LoginModule {}
  Module({
    imports: [
      ApiKitModule.forRoot({
        name: 'bench-login',
        version: '1.0.0',
        repository: 'https://github.com/lsst-sqre/bench-service',
        description: 'Logs the direct client in',
        auth: { type: 'bitly-proxy', data: { username: '', password: '', endpoint: startUrl } },
        backend: { githubUrl },
      }),
    ],
  })(LoginModule);
  const app = await NestFactory.createApplicationContext(LoginModule, { logger: false });
  try {
    const flow = app.get(BitlyProxyLoginFlow, { strict: false });
    const cookies = [];
    for (const { login, password } of identities) {
      const outcome = await flow.login(new BackendCredentials(login, password), new URL(startUrl), 'bench-direct-client');
      if (!('session' in outcome)) throw new Error(`login of ${login} stopped at a ${outcome.challenge.code} code page`);
      const cookie = outcome.session.cookieHeader(new URL(proxyUrl));
      if (!cookie.includes('_oauth2_proxy')) throw new Error(`login of ${login} left no proxy session cookie`);
      cookies.push(cookie);
    }
    return cookies;
  } finally {
    await app.close();
  }
}
