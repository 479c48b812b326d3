import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { APIKIT_RESOLVED_OPTIONS } from '../options/apikit-options.constants.js';
import type { ResolvedApiKitOptions } from '../options/apikit-options.interface.js';
import { resolveRoutePrefixes } from '../options/apikit-options.resolver.js';
import { metadataPathsOf } from './metadata-paths.js';
import { jsonResponse, type PrebuiltResponse } from './prebuilt-response.js';

/**
 * The metadata paths of one application and their body, serialised once.
 * One instance per `ApiKitModule` instance: two applications in a process never share routes.
 */
@Injectable()
export class MetadataRoutes implements OnApplicationBootstrap {
  private readonly response: PrebuiltResponse;
  private readonly prefixes: string[] = [];
  private readonly servedPaths = new Set<string>();
  private frozen = false;

  constructor(@Inject(APIKIT_RESOLVED_OPTIONS) private readonly options: ResolvedApiKitOptions) {
    this.response = jsonResponse(options.metadata);
    options.routePrefixes.forEach((prefix) => this.addCanonicalPrefix(prefix));
  }

  /**
   * apikit's `add_route_prefix`: serve the metadata under more prefixes (a string or an array, as `route`).
   * Call it between `NestFactory.create()` and `app.init()`/`app.listen()`.
   * @throws ApiKitOptionsError when the prefix is not a string or an array of strings.
   * @throws Error once the application has bootstrapped: the routes are frozen then.
   */
  addRoutePrefix(route: string | readonly string[]): void {
    if (this.frozen) {
      throw new Error(
        'MetadataRoutes.addRoutePrefix(): the application has already bootstrapped and its routes are frozen; ' +
          'add route prefixes between NestFactory.create() and app.init()/app.listen()',
      );
    }
    resolveRoutePrefixes(route).forEach((prefix) => this.addCanonicalPrefix(prefix));
  }

  /** The canonical prefixes served, in the order they were added. */
  get routePrefixes(): readonly string[] {
    return [...this.prefixes];
  }

  /** The prebuilt metadata response when `path` (no query string) is a metadata path. */
  responseFor(path: string): PrebuiltResponse | undefined {
    return this.servedPaths.has(path) ? this.response : undefined;
  }

  onApplicationBootstrap(): void {
    this.frozen = true;
  }

  private addCanonicalPrefix(prefix: string): void {
    if (this.prefixes.includes(prefix)) return;
    this.prefixes.push(prefix);
    metadataPathsOf(prefix, this.options.metadata.api_version).forEach((path) => this.servedPaths.add(path));
  }
}
