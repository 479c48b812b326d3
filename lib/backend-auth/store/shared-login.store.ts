import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APIKIT_RESOLVED_OPTIONS } from '../../options/apikit-options.constants.js';
import type { ResolvedApiKitOptions } from '../../options/apikit-options.interface.js';
import type { StoreHealth } from '../../observability/index.js';
import { createRedisClient, type OwnedRedisClient } from './redis-client.factory.js';
import { RedisConnection } from './redis-connection.js';
import { SharedLoginCoordinator } from './shared-login.coordinator.js';
import { SharedLoginState } from './shared-login-state.js';
import { ValueCipher } from './value.cipher.js';

/**
 * `backend.store`: with `{ type: 'redis' }`, the coordinator the pool shares its state through
 * (the client made from `url` at boot and closed at shutdown, or the one given); with `memory`, none.
 */
@Injectable()
export class SharedLoginStore implements OnModuleInit, OnApplicationShutdown, StoreHealth {
  coordinator: SharedLoginCoordinator | undefined;
  private owned: OwnedRedisClient | undefined;
  private connection: RedisConnection | undefined;

  constructor(@Inject(APIKIT_RESOLVED_OPTIONS) private readonly options: ResolvedApiKitOptions) {}

  async onModuleInit(): Promise<void> {
    const { store, secret } = this.options.backend;
    if (store.type !== 'redis' || secret === undefined) return;
    const client = store.client ?? (this.owned = await createRedisClient(store.url!, Math.max(1_000, store.timeoutMs * 4)));
    this.connection = new RedisConnection(client, store.timeoutMs);
    const state = new SharedLoginState(this.connection, new ValueCipher(secret), store.keyPrefix);
    this.coordinator = new SharedLoginCoordinator(state, this.options.backend);
  }

  /** Redis is configured and its last command failed: sessions, throttles and budgets are per replica meanwhile. */
  get degraded(): boolean {
    return this.connection?.isDegraded ?? false;
  }

  /** With Redis, whether it answers a PING within `withinMs` (the boot line's question); `undefined` with the memory store. */
  answers(withinMs: number): Promise<boolean | undefined> {
    return this.connection?.answers(withinMs) ?? Promise.resolve(undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.owned?.close();
  }
}
