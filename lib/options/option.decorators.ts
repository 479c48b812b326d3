import { IsInt, IsObject, Max, Min, ValidateBy, ValidateIf, ValidateNested } from 'class-validator';

/** Validate the field only when it was given: `undefined` means "use the default" (`null` is still checked). */
export const IfGiven = (): PropertyDecorator => ValidateIf((_, value: unknown) => value !== undefined);

/** Longest delay a Node timer honours: setTimeout silently turns longer ones into 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** An optional integer within [min, max]. */
export function IsIntegerIn(min: number, max: number): PropertyDecorator {
  const message = `expected an integer from ${min} to ${max}`;
  return (target, property) => {
    IfGiven()(target, property);
    IsInt({ message })(target, property);
    Min(min, { message })(target, property);
    Max(max, { message })(target, property);
  };
}

/** An optional object validated as its schema class (the options builder instantiates it); `null` too when `allowNull`. */
export function IsNestedOptions({ allowNull = false } = {}): PropertyDecorator {
  return (target, property) => {
    ValidateIf((_, value: unknown) => value !== undefined && !(allowNull && value === null))(target, property);
    IsObject({ message: 'expected an object' })(target, property);
    ValidateNested()(target, property);
  };
}

/**
 * An absolute http(s) URL, parsed by the WHATWG parser that the library uses to send requests:
 * a second parser (validator.js' isURL) could accept what this one reads differently.
 */
export function IsHttpUrl(): PropertyDecorator {
  return ValidateBy({
    name: 'isHttpUrl',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && URL.canParse(value) && /^https?:$/.test(new URL(value).protocol),
      defaultMessage: () => 'expected an absolute http(s) URL',
    },
  });
}
