// When each fault happens: after a warm-up without faults, slots of equal length, each opening one
// window on every link at once (the proxy front, GitHub, Redis), then the grace and some clean time
// before the next. Each link walks through its kinds in turn; Redis is restarted once, in the middle
// slot; GitHub's "status" kind is its 5xx burst (the stack's `faults.githubStatus`).

const LINK_KINDS = {
  proxy: ['latency', 'reset', 'half-open', 'truncate', 'stall'],
  github: ['status', 'stall', 'reset', 'latency', 'truncate', 'half-open'],
  redis: ['stall', 'latency', 'reset', 'half-open', 'truncate'],
};
const GITHUB_OUTAGES = [503, 502, 500, 504];

/**
 * @param {{ loadMs: number, warmupMs: number, slotMs: number, windowMs: number, latencyMs: number }} plan
 * @returns {Array<{ link: string, kind: string, label: string, startMs: number, endMs: number, latencyMs?: number, status?: number }>}
 *   offsets from the start of the load
 */
export function faultWindows({ loadMs, warmupMs, slotMs, windowMs, latencyMs, links = Object.keys(LINK_KINDS) }) {
  const slots = Math.max(0, Math.floor((loadMs - warmupMs) / slotMs));
  const middle = Math.floor(slots / 2);
  const windows = [];
  for (let slot = 0; slot < slots; slot++) {
    const startMs = warmupMs + slot * slotMs;
    for (const [link, kinds] of Object.entries(LINK_KINDS).filter(([name]) => links.includes(name))) {
      // Redis is restarted once; its other kinds go round the remaining slots.
      const kind = link === 'redis' && slot === middle ? 'restart' : kinds[(link === 'redis' && slot > middle ? slot - 1 : slot) % kinds.length];
      const window = { link, kind, label: `${link} ${kind}`, startMs, endMs: startMs + windowMs };
      if (kind === 'latency') window.latencyMs = latencyMs;
      if (kind === 'status') {
        window.status = GITHUB_OUTAGES[Math.floor(slot / kinds.length) % GITHUB_OUTAGES.length];
        window.label = `github ${window.status}s`;
      }
      windows.push(window);
    }
  }
  return windows;
}

/** The windows (with their grace) a span of time overlaps. */
export function windowsOverlapping(windows, fromMs, toMs, graceMs) {
  return windows.filter((window) => fromMs <= window.endMs + graceMs && toMs >= window.startMs);
}
