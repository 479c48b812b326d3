import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SharedLoginStore } from '../backend-auth/store/shared-login.store.js';
import { libraryDebugLinesOn, logEvent } from '../logging/index.js';
import { APIKIT_RESOLVED_OPTIONS } from '../options/apikit-options.constants.js';
import type { ResolvedApiKitOptions } from '../options/apikit-options.interface.js';
import { MetadataRoutes } from '../routes/metadata-routes.service.js';
import { bootReportFields } from './boot-report.fields.js';

/**
 * How long the boot waits for Redis to answer the boot line's PING: the client connects in the background
 * at boot and usually answers within milliseconds; a Redis that is away costs the boot this, once.
 */
const STORE_PING_MS = 1_000;

/** Writes one `apikit.started` line at bootstrap (level info): what the module set up, for whoever reads the log. */
@Injectable()
export class ApiKitBootReport implements OnApplicationBootstrap {
  private readonly logger = new Logger('ApiKit');

  constructor(
    @Inject(APIKIT_RESOLVED_OPTIONS) private readonly options: ResolvedApiKitOptions,
    private readonly metadata: MetadataRoutes,
    private readonly store: SharedLoginStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const fields = bootReportFields(this.options, {
      routePrefixes: this.metadata.routePrefixes,
      storeAnswered: await this.store.answers(STORE_PING_MS),
      debugLines: libraryDebugLinesOn(),
    });
    logEvent(this.logger, 'log', 'apikit.started', 'ApiKit is set up', fields);
  }
}
