import type { SimulatedBackendLogEntry, SimulatedStackStats } from './simulated-stack.interface.js';

/** Caps memory of a stack left running (demo mode): per-key counts and log entries are bounded. */
const MAX_KEYS = 10_000;
const MAX_LOG_ENTRIES = 10_000;

/** A total and per-key counts. */
class Tally {
  private total = 0;
  private readonly perKey = new Map<string, number>();

  add(key: string): void {
    this.total += 1;
    if (this.perKey.has(key) || this.perKey.size < MAX_KEYS) this.perKey.set(key, (this.perKey.get(key) ?? 0) + 1);
  }

  count(key?: string): number {
    return key === undefined ? this.total : (this.perKey.get(key) ?? 0);
  }

  reset(): void {
    this.total = 0;
    this.perKey.clear();
  }
}

/** The stack's counters; the servers record, tests read through `SimulatedStackStats`. */
export class SimulatedStatsRecorder implements SimulatedStackStats {
  private readonly loginTally = new Tally();
  private readonly failedLoginTally = new Tally();
  private readonly failedCodeTally = new Tally();
  private readonly passwordPostTally = new Tally();
  private readonly codePostTally = new Tally();
  private readonly authorizeOnlyTally = new Tally();
  private readonly captchaTally = new Tally();
  private readonly twoFactorTally = new Tally();
  private readonly proxySessionTally = new Tally();
  private readonly backendTally = new Tally();
  private readonly log: SimulatedBackendLogEntry[] = [];
  private readonly proxySignInTally = new Tally();
  private readonly tracedGithubTally = new Tally();
  private githubInFlight = 0;
  private githubPeak = 0;

  /** The latest backend requests (at most 10,000), oldest first. */
  get backendLog(): ReadonlyArray<SimulatedBackendLogEntry> {
    return this.log;
  }

  logins(login?: string): number {
    return this.loginTally.count(login);
  }

  failedLogins(login?: string): number {
    return this.failedLoginTally.count(login);
  }

  failedCodes(login?: string): number {
    return this.failedCodeTally.count(login);
  }

  recordFailedCode(login: string): void {
    this.failedCodeTally.add(login);
  }

  passwordPosts(login?: string): number {
    return this.passwordPostTally.count(login);
  }

  recordPasswordPost(login: string): void {
    this.passwordPostTally.add(login);
  }

  codePosts(login?: string): number {
    return this.codePostTally.count(login);
  }

  recordCodePost(login: string): void {
    this.codePostTally.add(login);
  }

  authorizeOnlySignIns(login?: string): number {
    return this.authorizeOnlyTally.count(login);
  }

  signIns(login?: string): number {
    return this.logins(login) + this.authorizeOnlySignIns(login);
  }

  recordAuthorizeOnlySignIn(login: string): void {
    this.authorizeOnlyTally.add(login);
  }

  captchaAnswers(login?: string): number {
    return this.captchaTally.count(login);
  }

  /** `login`: the account the page was for; '' when GitHub did not know yet (the login page itself). */
  recordCaptchaAnswer(login: string): void {
    this.captchaTally.add(login);
  }

  twoFactorChallenges(login?: string): number {
    return this.twoFactorTally.count(login);
  }

  proxySessions(login?: string): number {
    return this.proxySessionTally.count(login);
  }

  backendRequests(login?: string): number {
    return this.backendTally.count(login);
  }

  proxySignInPosts(): number {
    return this.proxySignInTally.count();
  }

  recordProxySignInPost(): void {
    this.proxySignInTally.add('');
  }

  tracedGithubRequests(): number {
    return this.tracedGithubTally.count();
  }

  recordTracedGithubRequest(): void {
    this.tracedGithubTally.add('');
  }

  get peakGithubRequestsInFlight(): number {
    return this.githubPeak;
  }

  reset(): void {
    const tallies = [this.loginTally, this.failedLoginTally, this.failedCodeTally, this.twoFactorTally, this.proxySessionTally, this.backendTally, this.proxySignInTally, this.tracedGithubTally];
    for (const tally of [...tallies, this.passwordPostTally, this.codePostTally, this.authorizeOnlyTally, this.captchaTally]) {
      tally.reset();
    }
    this.log.length = 0;
    this.githubPeak = this.githubInFlight;
  }

  /** Counts a GitHub request in flight until the returned function is called. */
  recordGithubRequest(): () => void {
    this.githubInFlight += 1;
    this.githubPeak = Math.max(this.githubPeak, this.githubInFlight);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.githubInFlight -= 1;
    };
  }

  recordLogin(login: string): void {
    this.loginTally.add(login);
  }

  recordFailedLogin(login: string): void {
    this.failedLoginTally.add(login);
  }

  recordTwoFactorChallenge(login: string): void {
    this.twoFactorTally.add(login);
  }

  recordProxySession(login: string): void {
    this.proxySessionTally.add(login);
  }

  recordBackendRequest(entry: SimulatedBackendLogEntry): void {
    this.backendTally.add(entry.user);
    if (this.log.length >= MAX_LOG_ENTRIES) this.log.shift();
    this.log.push(Object.freeze({ ...entry }));
  }
}
