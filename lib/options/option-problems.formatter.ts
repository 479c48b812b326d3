import { getMetadataStorage, type ValidationError } from 'class-validator';
import type { SchemaClass } from './option-schema.builder.js';

/** class-validator's constraint name for a key the schema does not declare (`forbidNonWhitelisted`). */
const UNKNOWN_KEY = 'whitelistValidation';

/**
 * One line per problem, `field.path: rule, got <type>`. The rule is the constraint's message; what was
 * received is described here, by its type only, so no option value (a credential in `auth.data`)
 * can ever reach a message. Problems of declared fields come first, in declaration order, then
 * unknown keys.
 */
export function formatOptionProblems(errors: readonly ValidationError[], parentPath = ''): string[] {
  const rules: string[] = [];
  const unknown: string[] = [];
  for (const error of errors) {
    const field = `${parentPath}${error.property}`;
    for (const [constraint, rule] of Object.entries(error.constraints ?? {})) {
      if (constraint === UNKNOWN_KEY) unknown.push(unknownOptionProblem(field, error.target?.constructor as SchemaClass));
      else rules.push(`${field}: ${rule}, got ${describeOptionValue(error.value)}`);
    }
    rules.push(...formatOptionProblems(error.children ?? [], `${field}.`));
  }
  return [...rules, ...unknown];
}

/** `field: unknown option (expected one of <the fields Schema declares>)`. */
export function unknownOptionProblem(field: string, Schema: SchemaClass): string {
  const declared = getMetadataStorage()
    .getTargetValidationMetadatas(Schema, '', true, false)
    .map((rule) => rule.propertyName);
  return `${field}: unknown option (expected one of ${[...new Set(declared)].join(', ')})`;
}

/** A value as problems name it: its type, never its contents (an array lists the types of its non-string items). */
export function describeOptionValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === '') return 'an empty string';
  if (typeof value === 'string') return 'a string';
  if (!Array.isArray(value)) return typeof value;
  const odd = value.flatMap((item: unknown, index) => (typeof item === 'string' ? [] : [`[${index}] is ${describeOptionValue(item)}`]));
  return odd.length === 0 ? 'array' : `an array whose ${odd.join(', ')}`;
}
