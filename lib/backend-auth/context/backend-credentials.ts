import { inspect } from 'node:util';

/**
 * A caller's username and password, and the one-time code it sent (`X-GitHub-OTP`), if any. The
 * password and code live in private fields behind getters, so the object has no own property holding
 * them: a stray `console.log`, `JSON.stringify`, spread or error formatter cannot leak them. (Private
 * fields, not non-enumerable properties: `Object.defineProperty` on every request cost ~0.4 µs.)
 */
export class BackendCredentials {
  readonly #password: string;
  readonly #otp: string | undefined;

  constructor(
    readonly username: string,
    password: string,
    otp?: string,
  ) {
    this.#password = password;
    this.#otp = otp;
  }

  get password(): string {
    return this.#password;
  }

  get otp(): string | undefined {
    return this.#otp;
  }

  toJSON(): { username: string } {
    return { username: this.username };
  }

  [inspect.custom](): string {
    return `BackendCredentials { username: ${JSON.stringify(this.username)}, password: [redacted] }`;
  }
}
