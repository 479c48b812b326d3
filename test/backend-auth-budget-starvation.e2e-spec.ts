// One address must not starve every login. A GitHub account of the attacker's own that GitHub lets in but
// the service cannot complete (it never authorised the proxy's OAuth app, or GitHub asks to authorise it
// again) ended each login on GitHub's page with a 502 or 503 that no throttle counts, and gave its place
// among the account's sign-ins back: one address looped such logins, each a start of the service's hourly
// budget, until the budget was gone and every other caller got 503 for the rest of the hour.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { AddressedClient } from './fixtures/addressed-client.fixture.js';
import { basic, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';

const PASSWORD = 'starve-pw-0c41-canary';

describe.each(ADAPTERS)("logins GitHub stops at the OAuth app's page, on %s", (_name, createAdapter) => {
  let stack: SimulatedStack;
  let app: INestApplication;
  let client: AddressedClient;

  beforeEach(async () => {
    stack = await startSimulatedStack({
      users: [
        { login: 'loner', password: PASSWORD },
        // SMS as the only second factor, preferred: GitHub's "Send SMS" page, whose button a captcha guards.
        { login: 'sms-only', password: PASSWORD, twoFactor: 'sms', preferred2fa: 'sms' },
        { login: 'owner', password: PASSWORD },
      ],
    });
    app = await createProxyApp(createAdapter, stack, { backend: { loginBudget: { perHour: 6, perIdentityPerHour: 2 }, timeoutMs: 1_000 } });
    client = await AddressedClient.of(app);
  });
  afterEach(async () => {
    await client?.close();
    await app?.close();
    await stack?.stop();
  });

  it.each([
    ['the Authorize page (never authorised)', 'loner', 'oauthAppAuthorizationPage', 502],
    ['the re-authorise page', 'loner', 'consentRequired', 503],
    ['a second factor it cannot use ("Send SMS" behind a captcha)', 'sms-only', undefined, 502],
  ] as const)('%s: each is one of the account\'s sign-ins, so one address cannot spend the hourly budget', async (_page, login, fault, status) => {
    if (fault !== undefined) stack.faults[fault] = true;
    const answers: number[] = [];
    for (let i = 0; i < 8; i++) answers.push((await client.get('/t/metric/job/metric', '127.0.0.2', { authorization: basic(login, PASSWORD) })).status);
    // Two logins (perIdentityPerHour), then the account's sign-in limit, which asks GitHub nothing.
    expect(answers).toEqual([status, status, 429, 429, 429, 429, 429, 429]);
    if (fault !== undefined) stack.faults[fault] = false;
    expect((await client.get('/t/metric/job/metric', '127.0.0.1', { authorization: basic('owner', PASSWORD) })).status).toBe(200);
  });
});
