// A GitHub-flavoured Markdown table; numbers formatted by the caller.
export function markdownTable(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export const fmt = {
  int: (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a'),
  /** A difference: '+5', '-8' (a rounded zero as '+0'). */
  signed: (v) => (Number.isFinite(v) ? `${Math.round(v) < 0 ? '' : '+'}${Math.round(v).toLocaleString('en-US')}` : 'n/a'),
  ms: (v) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v.toFixed(0)) : 'n/a'),
  ratio: (v) => (Number.isFinite(v) ? `${v.toFixed(2)}x` : ''),
  pct: (v) => (Number.isFinite(v) ? `${Math.round(v)}%` : 'n/a'),
  mib: (v) => (Number.isFinite(v) ? `${(v / 2 ** 20).toFixed(1)} MiB` : 'n/a'),
  verdict: (met) => (met === null || met === undefined ? '' : met ? '**met**' : '**missed**'),
};
