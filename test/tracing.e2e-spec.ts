import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { TraceState, W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { IncomingMessage, ServerResponse } from 'node:http';
import request from 'supertest';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import { basic, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';

// The real OpenTelemetry SDK, registered globally as an app registers NodeSDK: spans are exported to memory.
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(contextManager.enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
afterAll(async () => {
  trace.disable();
  context.disable();
  propagation.disable();
  await provider.shutdown();
});

/** The vendor state an upstream caller put in its trace context: it must travel on with the trace to the backend. */
const UPSTREAM_TRACE_STATE = 'upstream=t61rcWkgMzE';

/** What an HTTP instrumentation does: a server span per request, child of the caller's context, active while the request is handled. */
function requestSpans(app: INestApplication, seen: Span[]): void {
  const tracer = trace.getTracer('test-http-instrumentation');
  app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const caller = trace.setSpanContext(context.active(), {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
      isRemote: true,
      traceState: new TraceState(UPSTREAM_TRACE_STATE),
    });
    const span = tracer.startSpan(`${req.method} request`, { kind: SpanKind.SERVER }, caller);
    seen.push(span);
    res.once('close', () => span.end());
    context.with(trace.setSpan(context.active(), span), next);
  });
}

const apikitSpans = (): ReadableSpan[] => exporter.getFinishedSpans().filter((span) => span.instrumentationScope.name === 'nestjs-apikit');
const only = (name: string): ReadableSpan => {
  const spans = apikitSpans().filter((span) => span.name === name);
  expect(spans).toHaveLength(1);
  return spans[0];
};

describe.each(ADAPTERS)('tracing: true on %s', (_name, createAdapter) => {
  let stack: SimulatedStack;
  let app: INestApplication;
  const serverSpans: Span[] = [];
  let userCount = 0;
  const newUser = (): { login: string; password: string } => {
    const user = { login: `traced${++userCount}`, password: `secret-${userCount}` };
    stack.addUser(user);
    return user;
  };
  const call = (login: string, password: string) => request(app.getHttpServer()).get('/t/metric/job/metric?q=private').set('Authorization', basic(login, password));

  beforeAll(async () => {
    stack = await startSimulatedStack({ users: [] });
    app = await createProxyApp(createAdapter, stack, { tracing: true, beforeInit: (nest) => requestSpans(nest, serverSpans) });
  });
  afterAll(async () => {
    await app?.close();
    await stack?.stop();
  });
  beforeEach(() => {
    exporter.reset();
    serverSpans.length = 0;
  });

  it('makes a login span and a backend call span under the request span, and sends the call trace context to the backend only', async () => {
    const user = newUser();
    expect((await call(user.login, user.password)).status).toBe(200);
    expect(stack.stats.logins(user.login)).toBe(1);

    const login = only('apikit.login');
    expect(login.attributes).toEqual({
      'apikit.login.outcome': 'success',
      'apikit.login.pages': expect.any(Number),
      'apikit.login.github_session_reused': false,
      'apikit.login.submitting_code': false,
    });
    expect(login.attributes['apikit.login.pages']).toBeGreaterThan(0);
    expect(login.status.code).toBe(SpanStatusCode.UNSET);

    const backendCall = only('apikit.backend_call');
    const proxy = new URL(stack.proxyUrl);
    expect(backendCall.kind).toBe(SpanKind.CLIENT);
    expect(backendCall.attributes).toEqual({
      'http.request.method': 'GET',
      'server.address': proxy.hostname,
      'server.port': Number(proxy.port),
      'url.scheme': proxy.protocol.slice(0, -1),
      'http.response.status_code': 200,
    });
    expect(backendCall.status.code).toBe(SpanStatusCode.UNSET);

    const [requestSpan] = serverSpans;
    for (const span of [login, backendCall]) {
      expect(span.spanContext().traceId).toBe(requestSpan.spanContext().traceId);
      expect(span.parentSpanContext?.spanId).toBe(requestSpan.spanContext().spanId);
    }
    const everything = JSON.stringify(apikitSpans().map((span) => [span.attributes, span.events, span.status]));
    for (const secret of [user.login, user.password, 'private', '/api']) expect(everything).not.toContain(secret);

    const [received] = stack.stats.backendLog.filter((entry) => entry.user === user.login);
    const { traceId, spanId } = backendCall.spanContext();
    expect(received.traceparent).toBe(`00-${traceId}-${spanId}-01`);
    expect(received.tracestate).toBe(UPSTREAM_TRACE_STATE);
    expect(stack.stats.tracedGithubRequests()).toBe(0);
  });

  it('marks a wrong password: a login span with outcome wrong_password and status ERROR, a failed backend call', async () => {
    const user = newUser();
    expect((await call(user.login, 'wrong')).status).toBe(401);

    const login = only('apikit.login');
    expect(login.attributes['apikit.login.outcome']).toBe('wrong_password');
    expect(login.status.code).toBe(SpanStatusCode.ERROR);
    const backendCall = only('apikit.backend_call');
    expect(backendCall.status.code).toBe(SpanStatusCode.ERROR);
    expect(backendCall.attributes['error.type']).toBe('wrong_password');
    expect(backendCall.attributes['http.response.status_code']).toBeUndefined();
    expect(stack.stats.tracedGithubRequests()).toBe(0);
    expect(stack.stats.backendRequests(user.login)).toBe(0);
  });

  it('marks a re-login through the GitHub session kept from the first: github_session_reused, no password posted', async () => {
    const user = newUser();
    expect((await call(user.login, user.password)).status).toBe(200);
    stack.expireSessions();
    exporter.reset();
    expect((await call(user.login, user.password)).status).toBe(200);
    expect([stack.stats.passwordPosts(user.login), stack.stats.authorizeOnlySignIns(user.login)]).toEqual([1, 1]);
    const login = only('apikit.login');
    expect(login.attributes).toMatchObject({ 'apikit.login.outcome': 'success', 'apikit.login.github_session_reused': true, 'apikit.login.submitting_code': false });
    expect(login.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('makes no login span for a pooled session, and ends every span once', async () => {
    const user = newUser();
    expect((await call(user.login, user.password)).status).toBe(200);
    exporter.reset();
    expect((await call(user.login, user.password)).status).toBe(200);
    expect(apikitSpans().map((span) => span.name)).toEqual(['apikit.backend_call']);
    expect(stack.stats.logins(user.login)).toBe(1);
  });
});

describe.each(ADAPTERS)('tracing off (the default) on %s', (_name, createAdapter) => {
  let stack: SimulatedStack;
  let app: INestApplication;

  beforeAll(async () => {
    stack = await startSimulatedStack({ users: [{ login: 'untraced', password: 'pw' }] });
    app = await createProxyApp(createAdapter, stack);
  });
  afterAll(async () => {
    await app?.close();
    await stack?.stop();
  });

  it('makes no span and sends no traceparent, even with an SDK registered', async () => {
    exporter.reset();
    const res = await request(app.getHttpServer()).get('/t/metric/job/metric').set('Authorization', basic('untraced', 'pw'));
    expect(res.status).toBe(200);
    expect(apikitSpans()).toEqual([]);
    expect(stack.stats.backendLog.map((entry) => entry.traceparent)).toEqual([undefined]);
    expect(stack.stats.tracedGithubRequests()).toBe(0);
  });
});
