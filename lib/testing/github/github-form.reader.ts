import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendHtml } from '../http/http-response.writer.js';
import { readRequestBody, RequestBodyTooLargeError } from '../http/request-body.reader.js';
import { unprocessablePage } from './simulated-github.pages.js';

const FORM_BODY_LIMIT = 16 * 1024;

/** The URL-encoded form of a POST, or undefined after answering 413/422 for anything else. */
export async function readGithubForm(req: IncomingMessage, res: ServerResponse): Promise<URLSearchParams | undefined> {
  if (!String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    sendHtml(res, 422, unprocessablePage());
    return undefined;
  }
  try {
    return new URLSearchParams(await readRequestBody(req, FORM_BODY_LIMIT));
  } catch (error) {
    if (!(error instanceof RequestBodyTooLargeError)) throw error;
    sendHtml(res, 413, unprocessablePage(), { connection: 'close' });
    return undefined;
  }
}
