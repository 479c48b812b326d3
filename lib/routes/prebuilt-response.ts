import type { OutgoingHttpHeaders } from 'node:http';

/** A response serialised once at boot and replayed as is: the hot path only writes bytes. */
export interface PrebuiltResponse {
  readonly headers: Readonly<OutgoingHttpHeaders>;
  readonly body: Buffer;
}

export function jsonResponse(value: unknown): PrebuiltResponse {
  return prebuilt(Buffer.from(JSON.stringify(value), 'utf8'), 'application/json; charset=utf-8');
}

export function textResponse(text: string): PrebuiltResponse {
  return prebuilt(Buffer.from(text, 'utf8'), 'text/plain; charset=utf-8');
}

function prebuilt(body: Buffer, contentType: string): PrebuiltResponse {
  return Object.freeze({
    headers: Object.freeze({ 'content-type': contentType, 'content-length': body.length }),
    body,
  });
}
