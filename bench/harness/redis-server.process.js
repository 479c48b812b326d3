// A redis-server (Debian's package) on a free loopback port, without persistence, for the Redis rows;
// stopped by the scenario that started it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { freeLoopbackPort } from './loopback-port.finder.js';

export async function startRedisServer() {
  const port = await freeLoopbackPort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const failed = once(child, 'error').then(([err]) => { throw new Error(`redis-server could not start (${err.message}): apt-get install redis-server`); });
  for (let attempt = 0; ; attempt++) {
    const open = await Promise.race([failed, new Promise((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => { socket.end(); resolve(true); });
      socket.once('error', () => resolve(false));
    })]);
    if (open) break;
    if (attempt >= 100) throw new Error('redis-server did not listen within 5 s');
    await delay(50);
  }
  return {
    url: `redis://127.0.0.1:${port}/0`,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
