import type { ServerResponse } from 'node:http';
import type { MetricsRegistry } from '../options/metrics-options.interface.js';

/** `GET <path>`: the registry's exposition text, made at each scrape (prom-client collects asynchronously). */
export class MetricsEndpoint {
  constructor(
    readonly path: string,
    private readonly registry: MetricsRegistry,
  ) {}

  async answer(res: ServerResponse, head: boolean): Promise<void> {
    try {
      const body = Buffer.from(await this.registry.metrics(), 'utf8');
      res.writeHead(200, { 'content-type': this.registry.contentType, 'content-length': body.length });
      res.end(head ? undefined : body);
    } catch {
      // A collect callback of the app's own metrics threw: the scrape fails, the service does not.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(head ? undefined : 'metrics collection failed\n');
    }
  }
}
