/** Bound on how much of an upstream body becomes error content: the body is untrusted and is echoed to callers. */
export const MAX_ERROR_CONTENT_BYTES = 64 * 1024;

const TRUNCATED_MARK = '… [truncated]';

/**
 * Reads at most `maxBytes` of a fetch Response's body as UTF-8 and releases the rest,
 * so a huge or endless upstream answer can neither exhaust memory nor hold the connection.
 */
export async function readResponseText(res: Response, maxBytes = MAX_ERROR_CONTENT_BYTES): Promise<string> {
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    const room = maxBytes - received;
    if (value.byteLength > room) {
      text += decoder.decode(value.subarray(0, room));
      await reader.cancel();
      return text + TRUNCATED_MARK;
    }
    received += value.byteLength;
    text += decoder.decode(value, { stream: true });
  }
}
