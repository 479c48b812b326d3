// What every answer of the fuzz must be (issue 26): no 5xx but the backend path's documented
// 502/503/504, every error with a body in apikit's body, no planted secret shown, no error quoting
// the request's path or headers back (the echo marker), no hang.

const APIKIT_KEYS = 'error_content,reason,status_code';

/**
 * The problems of one exchange (empty: it passed).
 * @param {{ backendPath: boolean, method: string }} request
 * @param {{ raw: Buffer, timedOut: boolean }} exchanged
 * @param {ReturnType<import('./raw-http.client.js').parseAnswer>} answer
 * @param {string[]} secrets
 * @param {string} echo the marker planted in paths and headers
 */
export function problemsOf(request, exchanged, answer, secrets, echo) {
  const problems = [];
  if (exchanged.timedOut) problems.push('no answer and no close within the time-out');
  const text = exchanged.raw.toString('latin1');
  for (const secret of secrets) if (text.includes(secret)) problems.push('the answer shows a planted secret');
  if (answer === undefined) return problems; // closed without a word: a parser may do that to garbage
  const { status, body } = answer;
  if (!Number.isInteger(status)) return [...problems, 'the answer is not HTTP/1.x'];
  // The metric route relays its backend's own error (BackendError, as apikit's raise_from_response did), and
  // the demo backend names the metric it did not find: that text is the service's choice, not the kit's.
  const relayedFromBackend = request.backendPath && [400, 404, 405].includes(status);
  if (status >= 400 && !relayedFromBackend && text.includes(echo)) problems.push(`a ${status} quotes the request back`);
  if (status >= 500 && !(request.backendPath && [502, 503, 504].includes(status))) problems.push(`status ${status}`);
  // An answer to HEAD has no body, whatever follows it on the connection (an answer to leftover bytes).
  if (status >= 400 && body.length > 0 && request.method !== 'HEAD') {
    let parsed;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const problem = apikitBodyProblem(status, parsed);
    if (problem !== undefined) problems.push(problem);
  }
  return problems;
}

/** Why an error answer's parsed body is not apikit's (`{ error_content, reason, status_code }` of its status), or undefined. */
export function apikitBodyProblem(status, parsed) {
  const keys = parsed && typeof parsed === 'object' ? Object.keys(parsed).sort().join(',') : '';
  if (keys !== APIKIT_KEYS) return `a ${status} whose body is not apikit's`;
  if (parsed.status_code !== status) return `a ${status} whose body says ${parsed.status_code}`;
  return undefined;
}
