// A free loopback port for a child that must be told its port up front (the sample reads PORT,
// and the cold-start probe has to know where to knock before the process has said anything).
//
// Picked below the kernel's ephemeral range, never from it: a port from `listen(0)` comes out of
// that range, and between closing the probe and the child's bind any outgoing connection of the
// run (the load's sockets, a Redis client's reconnect) could take it as its local port, which made
// the sample exit with EADDRINUSE in a CI run. Below the range nothing is handed out by the kernel;
// only an explicit bind could collide, so the probe bind still checks, and this process never hands
// the same port out twice.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const handedOut = new Set();

function ephemeralRangeStart() {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && low > 2048) return low;
  } catch {
    // Not Linux: fall through to the IANA dynamic range's start, which macOS and Windows use.
  }
  return 49152;
}

// From 10000 up: clear of the ports local services are usually configured on (3000, 5432, 6379, 8080).
const candidates = { low: 10_000, high: Math.max(ephemeralRangeStart() - 1, 20_000) };

function bindsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function freeLoopbackPort() {
  const span = candidates.high - candidates.low;
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = candidates.low + Math.floor(Math.random() * span);
    if (handedOut.has(port) || !(await bindsFree(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free loopback port found in ${candidates.low}-${candidates.high}`);
}
