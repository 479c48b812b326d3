import { inspect } from 'node:util';

/**
 * A caller's username and password. The password is a non-enumerable field and the
 * object prints and serialises without it, so a stray `console.log`, `JSON.stringify`
 * or error formatter cannot leak it.
 */
export class BackendCredentials {
  declare readonly password: string;

  constructor(
    readonly username: string,
    password: string,
  ) {
    Object.defineProperty(this, 'password', { value: password, enumerable: false });
  }

  toJSON(): { username: string } {
    return { username: this.username };
  }

  [inspect.custom](): string {
    return `BackendCredentials { username: ${JSON.stringify(this.username)}, password: [redacted] }`;
  }
}
