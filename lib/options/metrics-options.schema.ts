import { IsString, Matches, ValidateBy } from 'class-validator';
import { IfGiven, IsServedPath, IsSwitchOrOptions } from './option.decorators.js';

/** `metrics` when an object: each field optional. */
export class MetricsOptionsSchema {
  @IsServedPath('/metrics')
  path: unknown;

  // Prometheus metric names are [a-zA-Z_:][a-zA-Z0-9_:]*; the prefix starts them ("" for none).
  @IfGiven()
  @IsString({ message: 'expected a string' })
  @Matches(/^([a-zA-Z_][a-zA-Z0-9_]*)?$/, { message: 'expected "" or a metric name prefix of letters, digits and "_", such as "apikit_"' })
  prefix: unknown;

  @IfGiven()
  @IsPromRegistry()
  registry: unknown;
}

/** `metrics`: `true`, `false` or an object (checked as `MetricsOptionsSchema`). */
export const IsMetricsOption = (): PropertyDecorator => IsSwitchOrOptions('{ path?, registry?, prefix? }');

/** What the library calls on a registry (checked by shape: the app's prom-client may be another copy than ours). */
function IsPromRegistry(): PropertyDecorator {
  return ValidateBy({
    name: 'isPromRegistry',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' && value !== null &&
        ['metrics', 'registerMetric', 'getSingleMetric'].every((method) => typeof (value as Record<string, unknown>)[method] === 'function'),
      defaultMessage: () => 'expected a prom-client Registry',
    },
  });
}
