import { Logger } from '@nestjs/common';
import { logEvent } from '../../logging/index.js';
import { BACKEND_AUTH_LOGGER_CONTEXT } from '../backend-auth.constants.js';

/** What the store needs of a Redis client: node-redis's `sendCommand` (v4 to v6), raw arguments in, reply out. */
export interface RedisCommandClient {
  sendCommand(args: string[]): Promise<unknown>;
}

/**
 * Every Redis command of the shared login state goes through `run`: bounded by `timeoutMs`, and never
 * failing a request: when Redis is away or slow, the caller's fallback (local state) answers, the
 * change is logged once when it starts and once when it ends, and sharing resumes when Redis returns.
 */
export class RedisConnection {
  private readonly logger = new Logger(BACKEND_AUTH_LOGGER_CONTEXT);
  private degraded = false;

  constructor(
    readonly client: RedisCommandClient,
    private readonly timeoutMs: number,
  ) {}

  /** Whether the last command failed (Redis away or slow): local state only, until one succeeds. */
  get isDegraded(): boolean {
    return this.degraded;
  }

  async run<T>(args: string[], fallback: T): Promise<unknown | T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      // Decided after the I/O of this turn of the event loop: a reply that came in time, while the loop was busy (a
      // replica short of CPU runs timers late, before reading its sockets), wins. Else every command timed out
      // together, the replicas stopped sharing, and each logged every identity in on its own (the soak, its warm-up
      // deriving scrypt keys on both cores).
      timer = setTimeout(() => setImmediate(() => reject(new Error(`no answer within ${this.timeoutMs} ms`))), this.timeoutMs);
    });
    try {
      const reply = await Promise.race([this.client.sendCommand(args), timeout]);
      this.setDegraded(false);
      return reply;
    } catch (error) {
      this.setDegraded(true, error);
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Whether Redis answers a PING within `withinMs`, asked again every 50 ms while the client makes its first
   * connection (commands fail at once meanwhile). Leaves the degraded state alone: only the store's commands set it.
   */
  async answers(withinMs: number): Promise<boolean> {
    const until = Date.now() + withinMs;
    for (let left = withinMs; left > 0; left = until - Date.now()) {
      if (await this.pings(left)) return true;
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, Math.max(0, until - Date.now()))));
    }
    return false;
  }

  private async pings(withinMs: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), withinMs);
    });
    try {
      return await Promise.race([this.client.sendCommand(['PING']).then(() => true, () => false), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private setDegraded(degraded: boolean, error?: unknown): void {
    if (degraded === this.degraded) return;
    this.degraded = degraded;
    if (degraded) {
      const why = error instanceof Error ? error.message : 'unknown error';
      logEvent(this.logger, 'warn', 'store.degraded', 'Redis is unavailable: sessions, throttles and login budgets are per replica until it returns', { error: why });
    } else {
      logEvent(this.logger, 'log', 'store.recovered', 'Redis is back: sessions, throttles and login budgets are shared again');
    }
  }
}
