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
 * Events (`{ t }`, the end of the second they were seen in) by cause: the label of the fault slot whose
 * windows (plus `graceMs`) the second overlaps, or `outside` with how long after the last window's end.
 */
export function byCause(events, windows, graceMs, resolutionMs) {
  const causes = {};
  const outside = [];
  for (const event of events) {
    const slot = windows.filter((w) => event.t - resolutionMs <= w.closedAt + graceMs && event.t >= w.openedAt);
    if (slot.length > 0) {
      // The last slot it overlapped (the windows of one slot open together).
      const lastSlot = Math.max(...slot.map((w) => w.openedAt));
      const label = slot.filter((w) => w.openedAt >= lastSlot - 100).map((w) => w.label).join(' + ');
      causes[label] = (causes[label] ?? 0) + 1;
      continue;
    }
    const before = windows.filter((w) => w.closedAt !== undefined && w.closedAt <= event.t).at(-1);
    outside.push({ ...event, afterWindow: before?.label, msAfterItsEnd: before === undefined ? undefined : event.t - before.closedAt });
  }
  return { causes, outside };
}
