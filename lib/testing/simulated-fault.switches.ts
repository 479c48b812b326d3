import type { SimulatedFaults, SimulatedProxyRestriction } from './simulated-stack.interface.js';

const PROXY_RESTRICTIONS: ReadonlySet<unknown> = new Set<SimulatedProxyRestriction>(['org', 'team', 'saml', 'email-domain']);

/**
 * The fault switches, every switch off by default. Assignments are checked so a test with a bad
 * value fails where it sets it, and unknown names throw (the object is not extensible).
 */
export class SimulatedFaultSwitches implements SimulatedFaults {
  private state = {
    githubDown: false,
    githubDelayMs: 0,
    githubStatus: undefined as number | undefined,
    proxyDown: false,
    loginPageWithoutForm: false,
    oauthAppAuthorizationPage: false,
    backendStatus: undefined as number | undefined,
    backendStatusTimes: Infinity,
    backendDelayMs: 0,
    backendReset: false,
    backendBodyBytes: undefined as number | undefined,
    accountPicker: false,
    consentRequired: false,
    loginFormAction: undefined as string | undefined,
    passwordPostRedirect: undefined as string | undefined,
    startRedirect: undefined as string | undefined,
    backendRedirect: undefined as string | undefined,
    backendSetCookies: 0,
    proxyRefusesAtCallback: undefined as SimulatedProxyRestriction | undefined,
    proxyRefusesSessions: 0,
    proxyAuthUnrouted: false,
    proxyAuthToBackend: false,
    loginCaptcha: undefined as SimulatedFaults['loginCaptcha'],
    signInInterstitial: undefined as SimulatedFaults['signInInterstitial'],
    identityProviderLogin: undefined as SimulatedFaults['identityProviderLogin'],
  };

  constructor() {
    Object.preventExtensions(this);
  }

  get githubDown() { return this.state.githubDown; }
  set githubDown(value: boolean) { this.state.githubDown = flag('githubDown', value); }
  get githubDelayMs() { return this.state.githubDelayMs; }
  set githubDelayMs(value: number) { this.state.githubDelayMs = delay('githubDelayMs', value); }
  get githubStatus(): number | undefined { return this.state.githubStatus; }
  set githubStatus(value: number | undefined) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 500 && value <= 599)) {
      throw new RangeError(`faults.githubStatus must be an integer status 500-599 or undefined, got ${String(value)}`);
    }
    this.state.githubStatus = value;
  }
  get proxyDown() { return this.state.proxyDown; }
  set proxyDown(value: boolean) { this.state.proxyDown = flag('proxyDown', value); }
  get loginPageWithoutForm() { return this.state.loginPageWithoutForm; }
  set loginPageWithoutForm(value: boolean) { this.state.loginPageWithoutForm = flag('loginPageWithoutForm', value); }
  get oauthAppAuthorizationPage() { return this.state.oauthAppAuthorizationPage; }
  set oauthAppAuthorizationPage(value: boolean) { this.state.oauthAppAuthorizationPage = flag('oauthAppAuthorizationPage', value); }
  get backendDelayMs() { return this.state.backendDelayMs; }
  set backendDelayMs(value: number) { this.state.backendDelayMs = delay('backendDelayMs', value); }
  get backendReset() { return this.state.backendReset; }
  set backendReset(value: boolean) { this.state.backendReset = flag('backendReset', value); }
  get accountPicker() { return this.state.accountPicker; }
  set accountPicker(value: boolean) { this.state.accountPicker = flag('accountPicker', value); }
  get consentRequired() { return this.state.consentRequired; }
  set consentRequired(value: boolean) { this.state.consentRequired = flag('consentRequired', value); }
  get loginFormAction() { return this.state.loginFormAction; }
  set loginFormAction(value: string | undefined) { this.state.loginFormAction = anyText('loginFormAction', value); }
  get passwordPostRedirect() { return this.state.passwordPostRedirect; }
  set passwordPostRedirect(value: string | undefined) { this.state.passwordPostRedirect = absoluteUrl('passwordPostRedirect', value); }
  get startRedirect() { return this.state.startRedirect; }
  set startRedirect(value: string | undefined) { this.state.startRedirect = absoluteUrl('startRedirect', value); }
  get backendRedirect() { return this.state.backendRedirect; }
  set backendRedirect(value: string | undefined) { this.state.backendRedirect = absoluteUrl('backendRedirect', value); }

  get backendSetCookies(): number { return this.state.backendSetCookies; }
  set backendSetCookies(value: number) {
    if (!(Number.isInteger(value) && value >= 0 && value <= 1000)) {
      throw new RangeError(`faults.backendSetCookies must be an integer from 0 to 1000, got ${String(value)}`);
    }
    this.state.backendSetCookies = value;
  }

  get proxyRefusesAtCallback(): SimulatedProxyRestriction | undefined { return this.state.proxyRefusesAtCallback; }
  set proxyRefusesAtCallback(value: SimulatedProxyRestriction | undefined) {
    if (value !== undefined && !PROXY_RESTRICTIONS.has(value)) {
      throw new TypeError(`faults.proxyRefusesAtCallback must be 'org', 'team', 'saml', 'email-domain' or undefined, got ${JSON.stringify(value)}`);
    }
    this.state.proxyRefusesAtCallback = value;
  }

  get proxyRefusesSessions(): number { return this.state.proxyRefusesSessions; }
  set proxyRefusesSessions(value: number) { this.state.proxyRefusesSessions = count('proxyRefusesSessions', value); }

  get proxyAuthUnrouted() { return this.state.proxyAuthUnrouted; }
  set proxyAuthUnrouted(value: boolean) { this.state.proxyAuthUnrouted = flag('proxyAuthUnrouted', value); }
  get proxyAuthToBackend() { return this.state.proxyAuthToBackend; }
  set proxyAuthToBackend(value: boolean) { this.state.proxyAuthToBackend = flag('proxyAuthToBackend', value); }

  get loginCaptcha() { return this.state.loginCaptcha; }
  set loginCaptcha(value: SimulatedFaults['loginCaptcha']) { this.state.loginCaptcha = oneOf('loginCaptcha', value, ['login-page', 'after-password']); }
  get signInInterstitial() { return this.state.signInInterstitial; }
  set signInInterstitial(value: SimulatedFaults['signInInterstitial']) {
    this.state.signInInterstitial = oneOf('signInInterstitial', value, ['two-factor-checkup', 'recovery-prompt']);
  }
  get identityProviderLogin() { return this.state.identityProviderLogin; }
  set identityProviderLogin(value: SimulatedFaults['identityProviderLogin']) { this.state.identityProviderLogin = oneOf('identityProviderLogin', value, ['saml', 'cas']); }

  /** Whether the proxy must refuse the session presented now; each refusal spends one of `proxyRefusesSessions`. */
  takeProxySessionRefusal(): boolean {
    if (this.state.proxyRefusesSessions <= 0) return false;
    this.state.proxyRefusesSessions -= 1;
    return true;
  }

  get backendStatus(): number | undefined { return this.state.backendStatus; }
  set backendStatus(value: number | undefined) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 200 && value <= 599)) {
      throw new RangeError(`faults.backendStatus must be an integer status 200-599 or undefined, got ${String(value)}`);
    }
    this.state.backendStatus = value;
  }

  get backendStatusTimes(): number { return this.state.backendStatusTimes; }
  set backendStatusTimes(value: number) { this.state.backendStatusTimes = count('backendStatusTimes', value); }

  get backendBodyBytes(): number | undefined { return this.state.backendBodyBytes; }
  set backendBodyBytes(value: number | undefined) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      throw new RangeError(`faults.backendBodyBytes must be a non-negative integer or undefined, got ${String(value)}`);
    }
    this.state.backendBodyBytes = value;
  }

  /**
   * The status the backend must answer now, if any. Each use spends one of `backendStatusTimes`;
   * when none is left the fault switches itself off (status undefined, times back to Infinity).
   */
  takeBackendStatus(): number | undefined {
    const status = this.state.backendStatus;
    if (status === undefined) return undefined;
    if (this.state.backendStatusTimes <= 0) {
      this.state.backendStatus = undefined;
      this.state.backendStatusTimes = Infinity;
      return undefined;
    }
    this.state.backendStatusTimes -= 1;
    if (this.state.backendStatusTimes === 0) {
      this.state.backendStatus = undefined;
      this.state.backendStatusTimes = Infinity;
    }
    return status;
  }
}

function flag(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`faults.${name} must be a boolean, got ${typeof value}`);
  return value;
}

function absoluteUrl(name: string, value: unknown): string | undefined {
  if (value !== undefined && !(typeof value === 'string' && URL.canParse(value))) {
    throw new TypeError(`faults.${name} must be an absolute URL or undefined, got ${typeof value}`);
  }
  return value;
}

/** Text a hostile page may write as it likes (an `action` that is no URL at all included). */
function anyText(name: string, value: unknown): string | undefined {
  if (value !== undefined && typeof value !== 'string') throw new TypeError(`faults.${name} must be a string or undefined, got ${typeof value}`);
  return value;
}

function oneOf<T extends string>(name: string, value: T | undefined, allowed: readonly T[]): T | undefined {
  if (value !== undefined && !allowed.includes(value)) {
    throw new TypeError(`faults.${name} must be ${allowed.map((a) => `'${a}'`).join(', ')} or undefined, got ${JSON.stringify(value)}`);
  }
  return value;
}

function count(name: string, value: unknown): number {
  if (!(value === Infinity || (Number.isInteger(value) && (value as number) >= 0))) {
    throw new RangeError(`faults.${name} must be a non-negative integer or Infinity, got ${String(value)}`);
  }
  return value as number;
}

function delay(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`faults.${name} must be a finite number of ms >= 0, got ${String(value)}`);
  }
  return value;
}
