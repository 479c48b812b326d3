// GitHub's logins as the simulated GitHub counted them, sampled every second per user: each identity's
// first login is its own; every later one is a re-login, put down to the fault window (with its grace)
// it happened in, or to none. Codes asked again of two-factor and device users are put down the same way.

export class LoginTimeline {
  #counts = new Map();
  /** @type {Array<{ t: number, login: string, nth: number }>} */
  events = [];

  /** `loginsByUser`: the stack's count of password logins per user at time `t`. */
  update(t, loginsByUser) {
    for (const [login, count] of Object.entries(loginsByUser)) {
      const before = this.#counts.get(login) ?? 0;
      for (let nth = before + 1; nth <= count; nth++) this.events.push({ t, login, nth });
      if (count > before) this.#counts.set(login, count);
    }
  }
}

/**
 * Events (`{ t }`, the end of the second they were seen in) by cause: the label of the fault slot whose windows
 * (plus `graceMs`) the second overlaps; else, for a call that was the identity's first to its replica since a Redis
 * window opened, that Redis fault (Redis restarted or away, the replica could not adopt the identity's session, and
 * calls go round the replicas: the identity came back to it only then); else `outside`, with how long after the last
 * window's end.
 */
export function byCause(events, windows, graceMs, resolutionMs, visits) {
  const causes = {};
  const outside = [];
  const count = (label) => (causes[label] = (causes[label] ?? 0) + 1);
  for (const event of events) {
    const slot = windows.filter((w) => event.t - resolutionMs <= w.closedAt + graceMs && event.t >= w.openedAt);
    if (slot.length > 0) {
      // The last slot it overlapped (the windows of one slot open together).
      const lastSlot = Math.max(...slot.map((w) => w.openedAt));
      count(slot.filter((w) => w.openedAt >= lastSlot - 100).map((w) => w.label).join(' + '));
      continue;
    }
    const redis = firstVisitSinceRedisFault(event, windows, resolutionMs, visits.get(event.login) ?? []);
    if (redis !== undefined) {
      count(`${redis.label}, a replica's first call since`);
      continue;
    }
    const before = windows.filter((w) => w.closedAt !== undefined && w.closedAt <= event.t).at(-1);
    outside.push({ ...event, afterWindow: before?.label, msAfterItsEnd: before === undefined ? undefined : event.t - before.closedAt });
  }
  return { causes, outside };
}

/** The last Redis window before the event, if the identity's call the event fell in was its first to that replica since the window opened. */
function firstVisitSinceRedisFault(event, windows, resolutionMs, calls) {
  const redis = windows.filter((w) => w.link === 'redis' && w.openedAt !== undefined && w.openedAt <= event.t).at(-1);
  if (redis === undefined) return undefined;
  const during = calls.filter(([, started, ended]) => started <= event.t && ended >= event.t - resolutionMs);
  const firstSince = ([replica, started]) => !calls.some(([other, at, , ok]) => other === replica && ok && at >= redis.openedAt && at < started);
  return during.some(firstSince) ? redis : undefined;
}
