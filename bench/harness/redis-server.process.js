// A redis-server (Debian's package) on a free loopback port, without persistence, for the Redis rows
// and the soak (which restarts it mid-run: `restart()` brings it back empty, on the same port);
// stopped by the scenario that started it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { freeLoopbackPort } from './loopback-port.finder.js';

/** Killed if the run ends without stopping them (an error, a signal): a redis-server must not outlive it. */
const live = new Set();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

async function launch(port) {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const failed = once(child, 'error').then(([err]) => { throw new Error(`redis-server could not start (${err.message}): apt-get install redis-server`); });
  for (let attempt = 0; ; attempt++) {
    const open = await Promise.race([failed, new Promise((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => { socket.end(); resolve(true); });
      socket.once('error', () => resolve(false));
    })]);
    if (open) return child;
    if (attempt >= 100) throw new Error('redis-server did not listen within 5 s');
    await delay(50);
  }
}

async function end(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

export async function startRedisServer() {
  const port = await freeLoopbackPort();
  let child = await launch(port);
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    pid: () => child.pid,
    /** Stops it and starts it again, empty, on the same port. */
    restart: async () => {
      await end(child);
      child = await launch(port);
    },
    stop: () => end(child),
  };
}
