// One call of one identity to one replica, as a client of the service makes it: GET /<login>/whoami
// with its Basic credentials (and its device token once it has one); a 401 asking for a code
// (`X-GitHub-OTP: required; <kind>`) is answered with the code its phone or mailbox shows now
// (asked of the simulated GitHub), at most twice. The answer must be the caller's own: the demo
// backend's `whoami` is the user the oauth2-proxy authenticated.
import { request } from 'node:http';
import { basicAuthorization } from '../../bench/harness/bench-identities.js';

/** Longer than the service takes to give up (a login's 15 s after a budget wait, or a call's 10 s). */
const ANSWER_TIMEOUT_MS = 40_000;
const CODE_ROUNDS = 2;

/**
 * @returns {Promise<{ status: number | string, body?: any, codesAsked: number, wrongIdentity: boolean }>}
 *   `status`: the final answer's, or the client error's code when none came
 */
export async function callAs(identity, replica, { agent, codeOf }) {
  let codesAsked = 0;
  let code;
  for (;;) {
    const answer = await get(replica.port, identity, code, agent);
    const otp = answer.headers?.['x-github-otp'];
    if (answer.status === 401 && typeof otp === 'string' && otp.startsWith('required') && codesAsked < CODE_ROUNDS) {
      codesAsked += 1;
      code = await codeOf(identity.login);
      if (code !== null) continue;
    }
    const device = answer.headers?.['x-apikit-device'];
    if (typeof device === 'string') identity.device = device;
    const wrongIdentity = answer.status === 200 && !(answer.body?.value === identity.login && answer.body?.jobname === identity.login);
    return { status: answer.status, body: answer.body, codesAsked, wrongIdentity };
  }
}

function get(port, identity, code, agent, retried = false) {
  return new Promise((resolve) => {
    const headers = { authorization: basicAuthorization(identity), accept: 'application/json' };
    if (identity.device !== undefined) headers['x-apikit-device'] = identity.device;
    if (code !== undefined) headers['x-github-otp'] = code;
    const req = request({ host: '127.0.0.1', port, path: `/${identity.login}/whoami`, headers, agent, localAddress: identity.address, timeout: ANSWER_TIMEOUT_MS }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: parsed(Buffer.concat(chunks)) }));
      res.on('error', (error) => resolve({ status: error.code ?? 'aborted' }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('no answer'), { code: 'CLIENT_TIMEOUT' })));
    req.on('error', (error) => {
      // A kept-alive socket the server closed as we reused it: the client's race, not the service's answer (node's docs).
      if (req.reusedSocket && error.code === 'ECONNRESET' && !retried) resolve(get(port, identity, code, agent, true));
      else resolve({ status: error.code ?? 'error' });
    });
    req.end();
  });
}

function parsed(bytes) {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return { unparsed: bytes.length };
  }
}
