/** The JSON body of a `BackendError` response: apikit's `to_dict()`, keys kept exactly. */
export interface BackendErrorBody {
  reason: string;
  status_code: number;
  /** `null` when the error has no content (apikit's `None`), so the key is always present in the JSON. */
  error_content: string | null;
}

/**
 * An error to hand back to the caller as apikit's JSON error body, with its status code.
 * apikit's `BackendError(reason, status_code=400, content=None)`, with its argument checks.
 */
export class BackendError extends Error {
  readonly reason: string;
  readonly statusCode: number;
  readonly content: string | undefined;
  /** Response headers to send with the error (e.g. `WWW-Authenticate`); never part of the body. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    reason: string,
    statusCode = 400,
    content?: string | Uint8Array | null,
    headers: Record<string, string> = {},
  ) {
    if (typeof reason !== 'string') {
      throw new TypeError(`BackendError: 'reason' must be a string, got ${describeType(reason)}`);
    }
    if (!Number.isInteger(statusCode)) {
      throw new TypeError(`BackendError: 'statusCode' must be an integer, got ${describeType(statusCode)}`);
    }
    const text = decodeContent(content);
    checkHeaders(headers);
    super(`${statusCode} ${reason}${text === undefined ? '' : ` [${text}]`}`);
    this.name = 'BackendError';
    this.reason = reason;
    this.statusCode = statusCode;
    this.content = text;
    this.headers = Object.freeze({ ...headers });
  }

  toDict(): BackendErrorBody {
    return { reason: this.reason, status_code: this.statusCode, error_content: this.content ?? null };
  }

  /** `BackendError: <status> <reason> [<content>]`; without content the brackets are left out (apikit printed `[None]`). */
  override toString(): string {
    return `BackendError: ${this.message}`;
  }
}

function decodeContent(content: string | Uint8Array | null | undefined): string | undefined {
  if (content === undefined || content === null) return undefined;
  if (typeof content === 'string') return content;
  // apikit accepted bytes too: decode them as UTF-8, replacing invalid sequences.
  if (content instanceof Uint8Array) return new TextDecoder('utf-8').decode(content);
  throw new TypeError(`BackendError: 'content' must be a string or bytes, got ${describeType(content)}`);
}

// RFC 9110 field-name token; values must not hold CR, LF or NUL (header injection, and Node throws on them).
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE_FORBIDDEN = /[\r\n\0]/;

/** Checked here so the filter can never fail while replying; messages name the header, never its value (may be secret). */
function checkHeaders(headers: unknown): void {
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw new TypeError(`BackendError: 'headers' must be an object of header names to strings, got ${describeType(headers)}`);
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw new TypeError(`BackendError: header name ${JSON.stringify(name)} is not a valid HTTP token`);
    if (typeof value !== 'string') {
      throw new TypeError(`BackendError: header '${name}' must have a string value, got ${describeType(value)}`);
    }
    if (HEADER_VALUE_FORBIDDEN.test(value)) throw new TypeError(`BackendError: header '${name}' value must not contain CR, LF or NUL`);
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'number' && !Number.isInteger(value) ? `non-integer number ${value}` : typeof value;
}
