import type { OnApplicationShutdown } from '@nestjs/common';
import type { DemoBackend } from '../demo/demo-backend.js';

/**
 * Where the service's backend is: the configured `BACKEND_URL`, or the demo stack started for it.
 * Owns the demo stack, so it stops after the HTTP server has drained (Nest calls
 * `onApplicationShutdown` after closing the server, unlike `onModuleDestroy`).
 */
export class BackendTarget implements OnApplicationShutdown {
  constructor(
    /** Base URL of the backend (its oauth2-proxy front under bitly-proxy), no trailing slash. */
    readonly url: string,
    /** The proxy's `/oauth2/start`, for `auth.data.endpoint`. */
    readonly startUrl: string | undefined,
    /** The GitHub the proxy logs in with (`backend.githubUrl`); `undefined`: github.com. */
    readonly githubUrl: string | undefined,
    private readonly demo?: DemoBackend,
  ) {}

  get isDemo(): boolean {
    return this.demo !== undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.demo?.stop();
  }
}
