// The soak's load: `concurrency` callers sharing a pace of `rate` calls a second over the replicas in
// turn, each call by an identity that has no other call in flight (an identity calls again once its
// last call ended, after every other idle identity had its turn). Identities join evenly over the
// warm-up, so that their proxy sessions (which the stack makes short) end spread out too: sign-ins
// through GitHub then keep happening, faults or not, while the population stays the same.
import { clearInterval, setInterval } from 'node:timers';
import { setTimeout as delay } from 'node:timers/promises';
import { callAs } from './soak.caller.js';

/**
 * Runs until `endsAt` (ms since epoch); `onResult` gets each call's outcome with its identity, replica and
 * start and end times. Resolves once every call in flight has ended.
 */
export async function runLoad({ identities, replicas, rate, concurrency, startsAt, warmupMs, endsAt, agent, codeOf, onResult }) {
  const idle = [];
  let joined = 0;
  const joinEveryMs = warmupMs / identities.length;
  const join = () => {
    while (joined < identities.length && Date.now() >= startsAt + joined * joinEveryMs) idle.push(identities[joined++]);
  };
  const joiner = setInterval(join, 50);
  join();

  let nextSlot = startsAt;
  let turn = 0;
  const caller = async () => {
    while (Date.now() < endsAt) {
      // No catching up after a stall: the pace resumes from now, not with a burst of the calls missed.
      const slot = Math.max(nextSlot, Date.now());
      nextSlot = slot + 1000 / rate;
      if (slot > Date.now()) await delay(slot - Date.now());
      const identity = idle.shift();
      if (identity === undefined) continue;
      const replica = replicas[turn++ % replicas.length];
      const started = Date.now();
      const outcome = await callAs(identity, replica, { agent, codeOf });
      onResult({ ...outcome, identity, replica, started, ended: Date.now() });
      idle.push(identity);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, caller));
  } finally {
    clearInterval(joiner);
  }
}
