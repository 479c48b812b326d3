import { inspect } from 'node:util';

/**
 * A caller's username and password, and the one-time code it sent (`X-GitHub-OTP`), if any. The
 * password and code are non-enumerable fields and the object prints and serialises without them,
 * so a stray `console.log`, `JSON.stringify` or error formatter cannot leak them.
 */
export class BackendCredentials {
  declare readonly password: string;
  declare readonly otp: string | undefined;

  constructor(
    readonly username: string,
    password: string,
    otp?: string,
  ) {
    Object.defineProperty(this, 'password', { value: password, enumerable: false });
    Object.defineProperty(this, 'otp', { value: otp, enumerable: false });
  }

  toJSON(): { username: string } {
    return { username: this.username };
  }

  [inspect.custom](): string {
    return `BackendCredentials { username: ${JSON.stringify(this.username)}, password: [redacted] }`;
  }
}
