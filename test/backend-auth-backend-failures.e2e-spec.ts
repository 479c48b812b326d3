import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { simulatedMetricValue, startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';


describe.each(ADAPTERS)('bitly-proxy backend answers and failures on %s', (_name, createAdapter) => {
  let stack: SimulatedStack;
  let app: INestApplication;
  const call = (query = '') =>
    request(app.getHttpServer()).get(`/t/metric/job/metric${query}`).set('Authorization', basic('demo', 'demo'));

  beforeAll(async () => {
    stack = await startSimulatedStack();
    app = await createProxyApp(createAdapter, stack, {
      // Every case here re-logs the same identity in; the once-a-minute bound has its own suite (login safety).
      backend: { maxResponseBytes: 1024 * 1024, reloginIntervalMs: 0 },
    });
  });
  afterAll(async () => {
    await app?.close();
    await stack?.stop();
  });
  beforeEach(async () => {
    await call().expect(200); // logged in before each case
    stack.stats.reset();
  });
  afterEach(() => {
    Object.assign(stack.faults, { backendStatus: undefined, backendStatusTimes: Infinity, backendDelayMs: 0, backendReset: false, backendBodyBytes: undefined });
  });

  it('re-logs in once when the proxy forgot the session, and the call succeeds', async () => {
    stack.expireSessions();
    const res = await call();
    expect(res.status).toBe(200);
    expect(res.body.value).toBe(simulatedMetricValue('job', 'metric'));
    expect(stack.stats.signIns('demo')).toBe(1);
  });

  it.each([401, 403])('re-logs in and retries once after a backend %i, then succeeds', async (status) => {
    Object.assign(stack.faults, { backendStatus: status, backendStatusTimes: 1 });
    const res = await call();
    expect(res.status).toBe(200);
    expect(stack.stats.signIns('demo')).toBe(1);
    expect(stack.stats.backendRequests('demo')).toBe(2);
  });

  it('drops the session when the proxy refuses our headers (431), logs in again and retries once', async () => {
    Object.assign(stack.faults, { backendStatus: 431, backendStatusTimes: 1 });
    const res = await call();
    expect(res.status).toBe(200);
    expect(stack.stats.signIns('demo')).toBe(1);
  });

  it('drops the session after a reset (it may be our headers): the next call logs in afresh', async () => {
    stack.faults.backendReset = true;
    expect((await call()).status).toBe(502);
    stack.faults.backendReset = false;
    expect((await call()).status).toBe(200);
    expect(stack.stats.signIns('demo')).toBe(1);
  });

  it('retries only once when the backend answers 401 twice, then hands the 401 to the caller code', async () => {
    Object.assign(stack.faults, { backendStatus: 401, backendStatusTimes: 2 });
    const res = await call();
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ reason: 'Unauthorized', status_code: 401, error_content: expect.stringContaining('status 401') });
    expect(stack.stats.signIns('demo')).toBe(1);
    expect(stack.stats.backendRequests('demo')).toBe(2);
  });

  it('hands other backend failures to the caller code without retrying', async () => {
    Object.assign(stack.faults, { backendStatus: 500, backendStatusTimes: 5 });
    const res = await call();
    expect(res.status).toBe(500);
    expect(res.body.reason).toBe('Internal Server Error');
    expect(stack.stats.backendRequests('demo')).toBe(1);
    expect(stack.stats.signIns()).toBe(0);
  });

  it('answers 504 when the backend is slower than the per-call time-out', async () => {
    stack.faults.backendDelayMs = 1500;
    const res = await call('?timeoutMs=200');
    expect(res.status).toBe(504);
    expect(res.body.error_content).toBe('The backend did not answer within 200 ms.');
  });

  it('answers 502 for a body larger than maxResponseBytes', async () => {
    stack.faults.backendBodyBytes = 3 * 1024 * 1024;
    const res = await call();
    expect(res.status).toBe(502);
    expect(res.body.error_content).toMatch(/larger than 1048576 bytes/);
  });

  it('accepts a body within maxResponseBytes', async () => {
    stack.faults.backendBodyBytes = 512 * 1024;
    const res = await call();
    expect(res.status).toBe(200);
    expect(res.body.value).toHaveLength(512 * 1024);
  });

  it('answers 502 when the backend resets the connection', async () => {
    stack.faults.backendReset = true;
    const res = await call();
    expect(res.status).toBe(502);
    expect(res.body.error_content).toMatch(/^Could not reach the backend \(\w+\)\. \(request [\w-]+\)$/);
    expect(res.body.error_content).not.toContain(new URL(stack.proxyUrl).port);
  });
});
