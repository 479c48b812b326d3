// A TCP relay between the replicas and one of their neighbours (the oauth2-proxy front, GitHub,
// Redis) that injects faults in scheduled windows. Bytes pass untouched (TLS would pass too); a
// window changes what happens to the connections that carry bytes meanwhile:
// - latency: every chunk, each way, waits `latencyMs` (order kept);
// - reset: a connection that carries a byte is reset, both sides (RST);
// - half-open: nothing is forwarded and nothing closed (a peer gone without a word); those
//   connections are reset when the window ends, the bytes they swallowed being lost;
// - truncate: requests pass, answers are cut: half of the chunk, then FIN to the client;
// - stall: nothing moves (the sockets stop being read), then everything held flows on.
import { connect, createServer } from 'node:net';

export const FAULT_KINDS = ['latency', 'reset', 'half-open', 'truncate', 'stall'];
const END = Symbol('end');

export class FaultProxy {
  /** @type {{ kind: string, latencyMs?: number } | undefined} */
  #fault;
  #target;
  #server;
  #pairs = new Set();
  /** What the faults did, for the report. */
  done = { connections: 0, resets: 0, truncated: 0, swallowedChunks: 0, heldChunks: 0, delayedChunks: 0 };

  constructor(name) {
    this.name = name;
  }

  /** Listens on a loopback port of its own; the target comes later (`forwardTo`). */
  async listen() {
    this.#server = createServer({ allowHalfOpen: true }, (client) => this.#accept(client));
    await new Promise((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = this.#server.address().port;
    return this.port;
  }

  forwardTo(host, port) {
    this.#target = { host, port };
  }

  /** Connections open through the relay now. */
  get openConnections() {
    return this.#pairs.size;
  }

  /** Starts a fault window (`undefined`: none). Ending one flushes what a stall held and resets what half-open swallowed. */
  setFault(fault) {
    const previous = this.#fault;
    this.#fault = fault;
    if (previous?.kind === 'stall') for (const pair of this.#pairs) this.#release(pair);
    if (previous?.kind === 'half-open') for (const pair of [...this.#pairs]) if (pair.swallowed) this.#reset(pair);
  }

  async close() {
    for (const pair of [...this.#pairs]) this.#reset(pair);
    await new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client) {
    this.done.connections += 1;
    const upstream = connect({ ...this.#target, allowHalfOpen: true });
    const pair = { client, upstream, swallowed: false, queues: { up: [], down: [] }, held: { up: [], down: [] }, timers: new Set() };
    this.#pairs.add(pair);
    const wire = (from, to, direction) => {
      from.on('data', (chunk) => this.#carry(pair, chunk, from, to, direction));
      from.on('end', () => this.#carry(pair, END, from, to, direction));
      from.on('error', () => undefined);
      // Closed without a FIN (reset, destroyed): the other side goes too, unless the peer is to look alive.
      from.on('close', () => {
        if (this.#fault?.kind === 'half-open') pair.swallowed = true;
        else if (!to.destroyed && !to.writableEnded) to.destroy();
        if (client.destroyed && upstream.destroyed) this.#forget(pair);
      });
    };
    wire(client, upstream, 'up');
    wire(upstream, client, 'down');
  }

  #carry(pair, chunk, from, to, direction) {
    const fault = this.#fault;
    switch (fault?.kind) {
      case 'reset':
        this.done.resets += 1;
        return this.#reset(pair);
      case 'half-open':
        pair.swallowed = true;
        this.done.swallowedChunks += 1;
        return;
      case 'stall':
        this.done.heldChunks += 1;
        pair.held[direction].push(chunk);
        from.pause();
        return;
      case 'truncate':
        if (direction === 'down' && chunk !== END) {
          this.done.truncated += 1;
          to.end(chunk.subarray(0, Math.floor(chunk.length / 2)));
          from.destroy();
          return;
        }
        break;
      case 'latency':
        this.done.delayedChunks += 1;
        return this.#delay(pair, chunk, to, direction, fault.latencyMs);
    }
    // Chunks still delayed go first: a window ending does not reorder bytes.
    if (pair.queues[direction].length > 0) return this.#delay(pair, chunk, to, direction, 0);
    this.#write(to, chunk);
  }

  #delay(pair, chunk, to, direction, ms) {
    const queue = pair.queues[direction];
    queue.push(chunk);
    const timer = setTimeout(() => {
      pair.timers.delete(timer);
      this.#write(to, queue.shift());
    }, ms);
    pair.timers.add(timer);
  }

  #write(to, chunk) {
    if (to.destroyed) return;
    if (chunk === END) to.end();
    else if (!to.writableEnded) to.write(chunk);
  }

  /** The end of a stall: what it held flows on, in order, and the sockets are read again. */
  #release(pair) {
    for (const [direction, to, from] of [['up', pair.upstream, pair.client], ['down', pair.client, pair.upstream]]) {
      for (const chunk of pair.held[direction].splice(0)) this.#write(to, chunk);
      if (!from.destroyed) from.resume();
    }
  }

  #reset(pair) {
    for (const socket of [pair.client, pair.upstream]) if (!socket.destroyed) socket.resetAndDestroy();
    this.#forget(pair);
  }

  #forget(pair) {
    for (const timer of pair.timers) clearTimeout(timer);
    pair.timers.clear();
    this.#pairs.delete(pair);
  }
}
