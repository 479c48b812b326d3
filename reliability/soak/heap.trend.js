// Is the live heap growing? A least-squares line through the samples of the last 80% of the load (the
// first 20% is the warm-up: identities log in, caches fill). The heap grows when that line rises by more
// than its noise, twice the standard deviation of the samples around it (a trend the samples' own
// spread cannot explain), plus what V8 still adds to a process a minute or two old: code compiled and
// feedback gathered for paths first taken later (a fault window's error paths): 0.5-0.6 MiB measured
// over the last 48 s of a fault-free one-minute run, allowed as 1 MiB. So a one-minute run sees a leak
// of about 25 KiB/s and more; a ten-minute run one of about 2.5 KiB/s (75 bytes a call, for a replica
// serving a third of 100 calls/s).
const WARMUP_ALLOWANCE_BYTES = 1024 * 1024;

export function heapTrend(samples, { from = 0.2 } = {}) {
  const kept = samples.slice(Math.floor(samples.length * from));
  const n = kept.length;
  if (n < 3) return { samples: n, slopeBytesPerMin: 0, riseBytes: 0, noiseBytes: 0, allowanceBytes: WARMUP_ALLOWANCE_BYTES, grows: false };
  const t0 = kept[0].t;
  const points = kept.map((s) => [(s.t - t0) / 1000, s.heapUsed]);
  const { slope, sd } = fit(points);
  const riseBytes = slope * (points[n - 1][0] - points[0][0]);
  const noiseBytes = 2 * sd;
  return {
    samples: n,
    firstBytes: points[0][1],
    lastBytes: points[n - 1][1],
    slopeBytesPerMin: slope * 60,
    riseBytes,
    noiseBytes,
    allowanceBytes: WARMUP_ALLOWANCE_BYTES,
    grows: riseBytes > noiseBytes + WARMUP_ALLOWANCE_BYTES,
  };
}

/** The least-squares line through `[x, y]` points: its slope, and the standard deviation of the residuals. */
function fit(points) {
  const n = points.length;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const squares = points.reduce((sum, [x, y]) => sum + (y - my - slope * (x - mx)) ** 2, 0);
  return { slope, sd: Math.sqrt(squares / Math.max(1, n - 2)) };
}
