// The login budget shared through Redis, when a reply comes after the store's time-out (a replica short of CPU):
// the script ran and took one of the service's concurrent logins, which nothing would give back before the hold
// ended (issue 26, the soak's warm-up).
import { createClient } from 'redis';
import { RedisConnection, type RedisCommandClient } from '../lib/backend-auth/store/redis-connection.js';
import { SharedLoginState } from '../lib/backend-auth/store/shared-login-state.js';
import { ValueCipher } from '../lib/backend-auth/store/value.cipher.js';
import { type RedisServer, startRedisServer } from './fixtures/redis-server.fixture.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the shared login budget, its reply late', () => {
  let redis: RedisServer;
  let client: ReturnType<typeof createClient>;

  beforeAll(async () => {
    redis = await startRedisServer();
    client = createClient({ url: redis.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.close();
    await redis?.stop();
  });

  it('gives back the place a timed-out admission took: no holder is left to hold a login for the whole hold', async () => {
    // Redis runs each command at once; its reply reaches the store 100 ms late, past a 50 ms time-out.
    const late: RedisCommandClient = { sendCommand: async (args) => (await Promise.all([client.sendCommand(args), sleep(100)]))[0] };
    const state = new SharedLoginState(new RedisConnection(late, 50), new ValueCipher(Buffer.alloc(32, 7)), 'late:');
    const admitted = await state.admitLogin({ maxConcurrent: 8, perMinute: 100, perHour: 1000 }, 15_000);
    expect(admitted.known).toBe(false);
    await sleep(200); // the release, sent after the admission, has run too
    expect(await client.zCard('late:budget:in-flight')).toBe(0);
    expect(await client.zCard('late:budget:starts')).toBe(1); // the start counts: GitHub may have seen the login
  });
});
