import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Answers a complete text response (HTML pages, plain-text values, JSON strings). */
export function sendText(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: OutgoingHttpHeaders = {},
): void {
  const payload = Buffer.from(body, 'utf8');
  res.writeHead(status, { ...headers, 'content-type': contentType, 'content-length': payload.length });
  res.end(payload);
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: OutgoingHttpHeaders = {}): void {
  sendText(res, status, 'text/html; charset=utf-8', html, headers);
}

export function sendPlain(res: ServerResponse, status: number, text: string, headers: OutgoingHttpHeaders = {}): void {
  sendText(res, status, 'text/plain; charset=utf-8', text, headers);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: OutgoingHttpHeaders = {}): void {
  sendText(res, status, 'application/json; charset=utf-8', JSON.stringify(value), headers);
}

/** 302 with a small HTML body, as both GitHub and oauth2-proxy answer. */
export function sendRedirect(res: ServerResponse, location: string, setCookies: string[] = []): void {
  const headers: OutgoingHttpHeaders = { location };
  if (setCookies.length > 0) headers['set-cookie'] = setCookies;
  sendHtml(res, 302, `<a href="${escapeHtml(location)}">Found</a>.\n`, headers);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
