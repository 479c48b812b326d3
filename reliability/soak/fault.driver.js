// Opens and closes the fault windows on time: the relays' kinds, GitHub's 5xx bursts (the stack's
// `faults.githubStatus`, over IPC), Redis's restart. Records when each window really opened and
// closed, which is what requests and logins are compared with.
import { ask } from '../../bench/harness/child-process.registry.js';

export function driveFaults(windows, { startsAt, links, stack, redis }) {
  const timers = [];
  const pending = new Set();
  const track = (promise) => {
    pending.add(promise);
    promise.finally(() => pending.delete(promise));
  };
  const open = async (window) => {
    window.openedAt = Date.now();
    if (window.kind === 'status') await ask(stack.child, 'faults', { set: { githubStatus: window.status } });
    else if (window.kind === 'restart') await redis.restart();
    else links[window.link].setFault({ kind: window.kind, latencyMs: window.latencyMs });
  };
  const close = async (window) => {
    if (window.kind === 'status') await ask(stack.child, 'faults', { set: { githubStatus: null } });
    else if (window.kind !== 'restart') links[window.link].setFault(undefined);
    window.closedAt = Date.now();
  };
  for (const window of windows) {
    timers.push(setTimeout(() => track(open(window)), Math.max(0, startsAt + window.startMs - Date.now())));
    timers.push(setTimeout(() => track(close(window)), Math.max(0, startsAt + window.endMs - Date.now())));
  }
  return {
    /** Stops what has not started, and waits for what has. */
    async finish() {
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(pending);
    },
  };
}
