import { ApiKitOptionsError } from './apikit-options.error.js';

/**
 * Imports an optional peer (prom-client, @nestjs/swagger, @opentelemetry/api, ajv) when the option that
 * needs it is on, so a service with the option off never loads it. `importPeer` keeps the literal
 * dynamic import of the peer's name at the call site, where TypeScript types it and bundlers see it.
 * Only "not installed" becomes the error naming the install command (an option error, unless the caller
 * is no module option): an error the installed peer throws while it loads is its own, and is not hidden
 * behind a wrong advice.
 */
export async function loadOptionalPeer<Peer>(
  importPeer: () => Promise<Peer>,
  peer: string,
  neededBy: string,
  toError: (advice: string) => Error = (advice) => new ApiKitOptionsError([advice]),
): Promise<Peer> {
  try {
    return await importPeer();
  } catch (error) {
    if (!isPeerMissing(error, peer)) throw error;
    throw toError(`${neededBy}: needs the optional peer "${peer}": npm install ${peer}`);
  }
}

/**
 * Node says ERR_MODULE_NOT_FOUND, "Cannot find package 'x' imported from ..." (a CommonJS loader:
 * MODULE_NOT_FOUND, "Cannot find module 'x/sub'"). The quoted name must be the peer's own: a peer that is
 * installed but misses one of its own dependencies names that one, and the peer only in a path.
 */
function isPeerMissing(error: unknown, peer: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  return typeof message === 'string' && (message.includes(`'${peer}'`) || message.includes(`'${peer}/`));
}
