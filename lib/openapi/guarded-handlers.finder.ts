import { GUARDS_METADATA } from '@nestjs/common/constants.js';
import type { ModulesContainer } from '@nestjs/core';
import { BackendAuthGuard } from '../backend-auth/backend-auth.guard.js';
import { CallerSessionGuard } from '../backend-auth/caller-session.guard.js';

const CALLER_GUARDS: ReadonlySet<unknown> = new Set([BackendAuthGuard, CallerSessionGuard]);

/**
 * The handlers behind `@UseBackendAuth()` (on the class or the method) or `@CallerSession()`, as the
 * operation ids @nestjs/swagger gives them by default (`<Controller>_<method>`; `[<n>]` after the method
 * when the controller has several paths, `_<version>` at the end when versioned): both decorators put one of the library's guards in Nest's guard metadata, which is read here.
 */
export function callerOperationIds(modules: ModulesContainer): Set<string> {
  const ids = new Set<string>();
  for (const module of modules.values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      const onClass = hasCallerGuard(metatype);
      for (const method of handlerNames(metatype.prototype as object)) {
        if (onClass || hasCallerGuard((metatype.prototype as Record<string, object>)[method]!)) ids.add(`${metatype.name}_${method}`);
      }
    }
  }
  return ids;
}

/** Whether a swagger operation id (possibly versioned) belongs to one of `ids`. */
export function isCallerOperation(operationId: string | undefined, ids: ReadonlySet<string>): boolean {
  if (operationId === undefined) return false;
  const handler = operationId.replace(/\[\d+\]/, '');
  return ids.has(handler) || ids.has(handler.slice(0, handler.lastIndexOf('_')));
}

function hasCallerGuard(target: object): boolean {
  const guards = (Reflect.getMetadata(GUARDS_METADATA, target) ?? []) as unknown[];
  return guards.some((guard) => CALLER_GUARDS.has(guard));
}

function handlerNames(prototype: object): string[] {
  return Object.getOwnPropertyNames(prototype).filter(
    (name) => name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(prototype, name)?.value === 'function',
  );
}
