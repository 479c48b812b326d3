// RELIABILITY.md holds one section per run kind (fuzz, soak), each between its own markers: a run
// replaces its section only, and adds it at the end the first time.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function recordSection(file, name, body) {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const section = `${begin}\n${body.trim()}\n${end}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Reliability\n';
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  const next = from >= 0 && to > from ? `${text.slice(0, from)}${section}${text.slice(to + end.length)}` : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}
