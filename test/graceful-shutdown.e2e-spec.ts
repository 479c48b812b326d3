// app.close() (what a SIGTERM runs with shutdown hooks) lets the in-flight request finish, then closes
// its kept-alive connection at once: the close follows the last request, not the keep-alive time-out
// (Fastify's is 72 s, past Kubernetes' 30 s grace period).
import 'reflect-metadata';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { ApiKitModule } from '../lib/index.js';
import { ADAPTERS, AppBooter } from './fixtures/e2e-app.fixture.js';
import { BASE_OPTIONS } from './fixtures/metadata-app.fixture.js';

let releaseSlow: (() => void) | undefined;

@Controller()
class SlowController {
  @Get('slow')
  async slow(): Promise<string> {
    await new Promise<void>((resolve) => (releaseSlow = resolve));
    return 'done';
  }
}

@Module({ imports: [ApiKitModule.forRoot(BASE_OPTIONS)], controllers: [SlowController] })
class ShutdownTestModule {}

describe.each(ADAPTERS)('graceful shutdown on %s', (_name, createAdapter) => {
  const booter = new AppBooter(createAdapter);
  afterAll(() => booter.closeAll());

  it('finishes the in-flight request, then closes kept-alive connections at once', async () => {
    const app: INestApplication = await booter.create(ShutdownTestModule);
    await app.listen(0, '127.0.0.1');
    const origin = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const agent = new Agent({ keepAliveTimeout: 120_000, connections: 2 });
    try {
      const idle = await request(`${origin}/metadata`, { dispatcher: agent });
      await idle.body.text(); // its connection stays open, idle, kept alive
      const inFlight = request(`${origin}/slow`, { dispatcher: agent });
      // The request has reached the handler: it is in flight now.
      for (let i = 0; i < 500 && releaseSlow === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      let closed = false;
      const closing = app.close().then(() => (closed = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(closed).toBe(false); // waits for the request in flight
      releaseSlow!();
      releaseSlow = undefined;
      const res = await inFlight;
      expect([res.statusCode, await res.body.text()]).toEqual([200, 'done']);
      // Bounded well inside a 30 s grace period; without the drain the kept-alive connection holds it 5 s on Express, 72 s on Fastify.
      await Promise.race([closing, new Promise((_, reject) => setTimeout(() => reject(new Error('app.close() outlived its last request')), 2_000))]);
      expect(closed).toBe(true);
    } finally {
      await agent.close();
    }
  });
});
