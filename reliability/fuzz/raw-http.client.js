// Sends raw bytes on a fresh connection and reads whatever comes back until the server closes
// (every fuzz request says `Connection: close`, and the write side is ended after sending), bounded
// by a time-out. Then parses the answer: status line, headers, body (by Content-Length or chunked).
import { connect } from 'node:net';

/** Longer than any answer takes, shorter than the server's own request time-out. */
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * @returns {Promise<{ raw: Buffer, timedOut: boolean, error?: string }>}
 */
export function exchange(port, bytes) {
  return new Promise((resolve) => {
    const chunks = [];
    let settled = false;
    const socket = connect({ host: '127.0.0.1', port });
    const finish = (extra) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ raw: Buffer.concat(chunks), timedOut: false, ...extra });
    };
    const timer = setTimeout(() => finish({ timedOut: true }), ANSWER_TIMEOUT_MS);
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    // A reset after the answer is the server refusing the rest of a request it already answered.
    socket.on('error', (error) => finish({ error: error.code ?? error.message }));
  });
}

/**
 * The first answer in `raw`, or `undefined` when there is none (the server closed without a word).
 * @returns {{ status: number, headers: Record<string, string[]>, body: Buffer } | undefined}
 */
export function parseAnswer(raw) {
  const end = raw.indexOf('\r\n\r\n');
  if (raw.length === 0) return undefined;
  const head = raw.subarray(0, end < 0 ? raw.length : end).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '');
  if (status === null) return { status: NaN, headers: {}, body: raw };
  const headers = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    (headers[name] ??= []).push(line.slice(colon + 1).trim());
  }
  const rest = end < 0 ? Buffer.alloc(0) : raw.subarray(end + 4);
  let body = rest;
  if (/chunked/i.test(headers['transfer-encoding']?.join(',') ?? '')) body = dechunk(rest);
  else if (headers['content-length'] !== undefined) body = rest.subarray(0, Number(headers['content-length'][0]));
  return { status: Number(status[1]), headers, body };
}

function dechunk(data) {
  const parts = [];
  let at = 0;
  while (at < data.length) {
    const line = data.indexOf('\r\n', at);
    if (line < 0) break;
    const size = parseInt(data.subarray(at, line).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(line + 2, line + 2 + size));
    at = line + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
