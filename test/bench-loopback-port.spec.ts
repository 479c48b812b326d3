// The bench, fuzz and soak harnesses tell children their port up front. A port from the kernel's
// ephemeral range could be taken as the local port of any outgoing connection before the child
// binds it (a CI run's sample exited with EADDRINUSE): the finder must stay below that range.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freeLoopbackPort } from '../bench/harness/loopback-port.finder.js';

const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

describe('the harness loopback port finder', () => {
  it('hands out distinct ports below the ephemeral range that a child can bind', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 50; i++) ports.push(await freeLoopbackPort());
    expect(new Set(ports).size).toBe(50);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(ephemeralLow);
    }
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: ports[0], host: '127.0.0.1', exclusive: true }, resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });
});
