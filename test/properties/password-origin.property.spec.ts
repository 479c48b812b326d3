// Where the password goes, over generated login forms (issue 26): whatever `action` GitHub's login
// page writes (another origin, another port or scheme of GitHub's host, protocol-relative, junk), the
// password reaches GitHub's origin or nothing: never the recording server, never a log line.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import request from 'supertest';
import { startSimulatedStack, type SimulatedStack } from '../../lib/testing/index.js';
import { basic, CapturingLogger, createProxyApp } from '../fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from '../fixtures/e2e-app.fixture.js';
import { passwordFormPage, type RecordingServer, startRecordingServer } from '../fixtures/recording-server.fixture.js';
import { anyText, PROPERTY_RUNS } from './property-runs.js';

const PASSWORD = 'pw-property-5d1c-canary';
/** Each run is a login over HTTP: fewer than the pure properties. */
const RUNS = { ...PROPERTY_RUNS, numRuns: Math.min(PROPERTY_RUNS.numRuns ?? 25, 25) };

describe.each(ADAPTERS)('the password, over generated login form actions, on %s', (_name, createAdapter) => {
  let stack: SimulatedStack;
  let app: INestApplication;
  let thief: RecordingServer;
  const logger = new CapturingLogger();
  let users = 0;

  beforeAll(async () => {
    thief = await startRecordingServer((res) => res.writeHead(200, { 'content-type': 'text/html' }).end(passwordFormPage('/steal')));
    stack = await startSimulatedStack({ users: [] });
    // One client address for every login: its bound is off, so every run reaches GitHub's page.
    app = await createProxyApp(createAdapter, stack, { logger, backend: { addressThrottle: { maxFailures: 0 } } });
  });
  afterAll(async () => {
    await app?.close();
    await stack?.stop();
    await thief?.close();
  });

  it("posts it to GitHub's origin or nowhere, and never logs it", async () => {
    const github = new URL(stack.githubUrl);
    const thiefUrl = new URL(thief.url);
    const action = fc.oneof(
      fc.constantFrom(
        `${thief.url}/session`,
        `//${thiefUrl.host}/session`,
        `http://${github.hostname}:${thiefUrl.port}/session`,
        `https://${github.host}/session`,
        `http://127.0.0.2:${github.port}/session`,
        `http://${github.host}@${thiefUrl.host}/session`,
        `${thief.url}/${github.host}/session`,
        '/session',
        'session',
        '',
        'http://',
        'javascript:alert(1)',
      ),
      anyText(30).map((text) => text.replaceAll('"', '')),
      fc.webUrl().map((url) => url.replaceAll('"', '')),
    );
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(action, async (written) => {
        const login = `prop${++users}`;
        stack.addUser({ login, password: PASSWORD });
        stack.faults.loginFormAction = written;
        try {
          const res = await request(app.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic(login, PASSWORD));
          expect([200, 401, 403, 429, 502, 503, 504]).toContain(res.status);
          expect(res.text).not.toContain(PASSWORD);
          statuses.add(res.status);
        } finally {
          stack.faults.loginFormAction = undefined;
        }
        expect(thief.everything()).not.toContain(PASSWORD);
        expect(logger.lines.join('\n')).not.toContain(PASSWORD);
      }),
      // GitHub's own form and a thief's always among the runs: the property sees both a login and a refusal.
      { ...RUNS, examples: [['/session'], [`${thief.url}/session`]] },
    );
    expect(statuses).toContain(200);
    expect(statuses).toContain(502);
  }, 120_000);
});
