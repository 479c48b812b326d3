/**
 * Thrown at boot when `ApiKitModule` options are invalid. The message lists every problem at once,
 * each naming the field, the type received and the rule; option values are never echoed, so
 * credentials in `auth.data` cannot leak into logs through it.
 */
export class ApiKitOptionsError extends Error {
  /** One line per problem, `field: rule, got type`. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`ApiKitModule options are invalid:\n${problems.map((problem) => ` - ${problem}`).join('\n')}`);
    this.name = 'ApiKitOptionsError';
    this.problems = Object.freeze([...problems]);
  }
}
