import { IsServedPath, IsSwitchOrOptions } from './option.decorators.js';

/** `openapi` when an object: each field optional. */
export class OpenApiOptionsSchema {
  @IsServedPath('/openapi.json')
  path: unknown;

  @IsServedPath('/docs')
  ui: unknown;
}

/** `openapi`: `true`, `false` or an object (checked as `OpenApiOptionsSchema`). */
export const IsOpenApiOption = (): PropertyDecorator => IsSwitchOrOptions('{ path?, ui? }');
