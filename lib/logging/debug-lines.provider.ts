import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ApiKitObservers } from '../observability/index.js';
import { DebugLinesObserver } from './debug-lines.observer.js';
import { libraryDebugLinesOn } from './nest-logger.probe.js';

/**
 * Registers the debug lines' observer when the application's logger writes debug lines. At bootstrap,
 * not construction: `app.useLogger()` may come after Nest built the providers, but before `init()`.
 */
@Injectable()
export class DebugLines implements OnApplicationBootstrap {
  constructor(private readonly observers: ApiKitObservers) {}

  onApplicationBootstrap(): void {
    if (libraryDebugLinesOn()) this.observers.add(new DebugLinesObserver());
  }
}
