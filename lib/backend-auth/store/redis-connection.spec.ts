import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { RedisConnection, type RedisCommandClient } from './redis-connection.js';

/** An echo server in a process of its own, as Redis is: it answers while this process's event loop is busy. */
const ECHO = "require('net').createServer((s) => s.on('data', (d) => s.write(d))).listen(0, '127.0.0.1', function () { console.log(this.address().port) })";

/** A client over a real loopback socket: the reply comes as I/O, read in the event loop's poll phase, as node-redis's do. */
async function echoClient(): Promise<{ client: RedisCommandClient; close(): Promise<void> }> {
  const server: ChildProcess = spawn(process.execPath, ['-e', ECHO], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [port] = (await once(server.stdout!, 'data')) as [Buffer];
  const socket: Socket = connect(Number(port.toString().trim()), '127.0.0.1');
  await once(socket, 'connect');
  const client: RedisCommandClient = {
    sendCommand: ([word]) =>
      new Promise((resolve) => {
        socket.once('data', (chunk) => resolve(chunk.toString()));
        socket.write(word);
      }),
  };
  return {
    client,
    close: async () => {
      socket.destroy();
      const exited = once(server, 'exit');
      server.kill();
      await exited;
    },
  };
}

describe('RedisConnection', () => {
  it('takes a reply that came in time while the event loop was busy past the time-out, and stays healthy', async () => {
    const { client, close } = await echoClient();
    try {
      const redis = new RedisConnection(client, 50);
      const reply = redis.run(['PONG'], 'fallback');
      // The answer arrives within a millisecond; this replica's loop is busy for 200 ms (another CPU-bound job).
      const until = Date.now() + 200;
      while (Date.now() < until);
      expect(await reply).toBe('PONG');
      expect(redis.isDegraded).toBe(false);
    } finally {
      await close();
    }
  });

  it('falls back once no reply comes within the time-out', async () => {
    const silent: RedisCommandClient = { sendCommand: () => new Promise(() => undefined) };
    const redis = new RedisConnection(silent, 50);
    expect(await redis.run(['GET', 'k'], 'fallback')).toBe('fallback');
    expect(redis.isDegraded).toBe(true);
  });
});
