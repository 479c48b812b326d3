#!/usr/bin/env node
import 'reflect-metadata';
import { ApiKitLogger } from 'nestjs-apikit';
import { loadServiceConfig } from './config/service-config.js';
import { server } from './service.server.js';

/**
 * The technote's `standalone()`: run the service from the environment, as
 * `node dist/sample/main.js` (or `npm start`, which builds first). A boot problem is logged, exit 1.
 */
export async function standalone(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let logger: ApiKitLogger;
  try {
    // apikit's default level is WARNING; a service wants its startup line, so INFO unless told otherwise.
    logger = new ApiKitLogger({ env: { ...env, LOGLEVEL: env.LOGLEVEL || 'INFO' } });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  try {
    await server(loadServiceConfig(env), logger);
  } catch (error) {
    logger.error(error instanceof Error ? error.message : String(error), 'Bootstrap');
    await logger.close();
    process.exit(1);
  }
}

void standalone();
