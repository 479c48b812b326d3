import { inspect } from 'node:util';
import { basicCredentialsHeader } from '../../http-request/basic-credentials.header.js';

/**
 * A caller's username and password, and the one-time code it sent (`X-GitHub-OTP`), if any. The
 * password and code live in private fields behind getters, so the object has no own property holding
 * them: a stray `console.log`, `JSON.stringify`, spread or error formatter cannot leak them. (Private
 * fields, not non-enumerable properties: `Object.defineProperty` on every request cost ~0.4 µs.)
 */
export class BackendCredentials {
  readonly #password: string;
  readonly #otp: string | undefined;
  #device: string | undefined;
  #issuedDevice: string | undefined;
  #basicAuthorization: string | undefined;

  constructor(
    readonly username: string,
    password: string,
    otp?: string,
    device?: string,
  ) {
    this.#password = password;
    this.#otp = otp;
    this.#device = device;
  }

  /**
   * The device token these credentials act with: the one a login gave them (so a second backend call of the
   * same request finds the session the first one opened), else the one the caller sent (`X-ApiKit-Device`).
   * A secret like the password.
   */
  get device(): string | undefined {
    return this.#issuedDevice ?? this.#device;
  }

  /** @internal Drops a device token the service did not issue: the credentials act as if none was sent. */
  forgetDevice(): void {
    this.#device = undefined;
  }

  /** @internal A device token a login that needed a code gave these credentials, for the caller's answer. */
  get issuedDevice(): string | undefined {
    return this.#issuedDevice;
  }

  /** @internal The same credentials with the device token the caller sent. */
  withDevice(device: string): BackendCredentials {
    return new BackendCredentials(this.username, this.#password, this.#otp, device);
  }

  /** @internal Records the device token a login gave, and returns the credentials bound to it. */
  issueDevice(token: string): BackendCredentials {
    this.#issuedDevice = token;
    return new BackendCredentials(this.username, this.#password, undefined, token);
  }

  get password(): string {
    return this.#password;
  }

  get otp(): string | undefined {
    return this.#otp;
  }

  /**
   * @internal `Basic <base64(username:password)>`, as `auth.type: basic` sends it: made once per
   * credentials object, or the caller's own header when it was already in exactly this form.
   */
  get basicAuthorization(): string {
    return (this.#basicAuthorization ??= basicCredentialsHeader(this.username, this.#password));
  }

  /**
   * @internal Credentials decoded from an inbound `Basic <encoded>` whose base64 is canonical (what
   * encoding them again would give, byte for byte): the strategy forwards it without encoding again.
   */
  static fromCanonicalBasic(username: string, password: string, otp: string | undefined, encoded: string): BackendCredentials {
    const credentials = new BackendCredentials(username, password, otp);
    credentials.#basicAuthorization = `Basic ${encoded}`;
    return credentials;
  }

  toJSON(): { username: string } {
    return { username: this.username };
  }

  [inspect.custom](): string {
    return `BackendCredentials { username: ${JSON.stringify(this.username)}, password: [redacted] }`;
  }
}
