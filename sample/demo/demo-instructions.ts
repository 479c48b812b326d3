import type { AuthType } from 'nestjs-apikit';
import { DEMO_2FA_USER, DEMO_USER } from './demo-backend.js';
import { DEMO_METRIC_NAMES } from './demo-metrics.handler.js';

/** The demo banner: what to paste into another terminal, with the real address, for the auth type in use. */
export function demoInstructions(url: string, authType: AuthType): string {
  const user = `${DEMO_USER.login}:${DEMO_USER.password}`;
  const twoFactorUser = `${DEMO_2FA_USER.login}:${DEMO_2FA_USER.password}`;
  const credentials = authType === 'none' ? '' : `-u ${user} `;
  const backend = {
    'bitly-proxy': `a simulated oauth2-proxy + GitHub + metrics service,\nrunning in this process, with a GitHub user ${user}`,
    basic: `a metrics service checking Basic credentials,\nrunning in this process, with a user ${user}`,
    none: 'an open metrics service,\nrunning in this process',
  }[authType];
  const twoFactor = [
    `Two-factor: ${twoFactorUser} has an authenticator app. Its first call answers 401 with`,
    'X-GitHub-OTP: required; app, and this console prints the current code; send it along. That answer',
    'carries X-ApiKit-Device: <token>: send it with later calls, and no code is asked again while',
    "GitHub's session lives (without it, a new code):",
    '',
    `  curl -i -u ${twoFactorUser} ${url}/mymicroservice/buildmyapp/time`,
    `  curl -i -u ${twoFactorUser} -H 'X-GitHub-OTP: <code>' ${url}/mymicroservice/buildmyapp/time`,
    `  curl -u ${twoFactorUser} -H 'X-ApiKit-Device: <token>' ${url}/mymicroservice/buildmyapp/time`,
    '',
  ];
  return [
    '',
    `Demo mode (no BACKEND_URL): the backend is ${backend}. Try:`,
    '',
    `  curl ${credentials}${url}/mymicroservice/buildmyapp/time`,
    `  curl ${url}/mymicroservice/metadata`,
    `  curl ${url}/`,
    '',
    ...(authType === 'bitly-proxy' ? twoFactor : []),
    `Metrics: ${DEMO_METRIC_NAMES.join(', ')}. An unknown metric shows a backend error${authType === 'none' ? '' : ', a wrong password a 401'}.`,
    'Set BACKEND_URL to use a real backend. Stop with Ctrl+C.',
    '',
  ].join('\n');
}
