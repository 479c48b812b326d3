import { ValidatorConstraint, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';
import { describeOptionType } from './apikit-options.error.js';

/** apikit's `route`: undefined/null (the root), a string, or an array of strings (`[]`: no metadata route). */
@ValidatorConstraint({ name: 'routeOption' })
export class RouteOptionConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return routeOptionProblem(value, 'route') === undefined;
  }

  defaultMessage({ property, value }: ValidationArguments): string {
    return routeOptionProblem(value, property) ?? `${property}: invalid`;
  }
}

/** The problem of a route prefix option named `field`, or undefined when it is valid. */
export function routeOptionProblem(route: unknown, field: string): string | undefined {
  if (route === undefined || route === null || typeof route === 'string') return undefined;
  if (!Array.isArray(route)) {
    return `${field}: expected a string or an array of strings, got ${describeOptionType(route)}`;
  }
  const bad = route.flatMap((item: unknown, index) =>
    typeof item === 'string' ? [] : [`[${index}] is ${describeOptionType(item)}`],
  );
  return bad.length === 0 ? undefined : `${field}: expected an array of strings, but ${bad.join(', ')}`;
}
