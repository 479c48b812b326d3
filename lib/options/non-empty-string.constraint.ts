import { ValidatorConstraint, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';
import { describeOptionType } from './apikit-options.error.js';

/** apikit's metadata strings: a non-string is a type error, `""` a value error; whitespace is accepted. */
@ValidatorConstraint({ name: 'nonEmptyString' })
export class NonEmptyStringConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && value.length > 0;
  }

  defaultMessage({ property, value }: ValidationArguments): string {
    const got = typeof value === 'string' ? 'an empty string' : describeOptionType(value);
    return `${property}: expected a non-empty string, got ${got}`;
  }
}
