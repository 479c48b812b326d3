// Every call's outcome, kept as counts and, for the ones that matter, as records: answers served as
// another identity, failures outside the fault windows (with the grace), failures inside them that are
// not a 502/503/504 in apikit's body, and codes asked again after an identity's first.
import { apikitBodyProblem } from '../fuzz/answer.checks.js';
import { windowsOverlapping } from './fault.schedule.js';

const UPSTREAM_FAILURES = new Set([502, 503, 504]);
/** Records kept of each kind: enough to diagnose, bounded for a long run. */
const KEPT = 200;

export class CallLedger {
  calls = 0;
  statuses = {};
  wrongIdentity = kept();
  failedOutside = kept();
  failedInsideBadly = kept();
  failedInsideByWindow = {};
  /** Codes asked beyond each non-plain identity's first login: `{ t, login }`. */
  codesAskedAgain = [];
  codesAsked = 0;
  /** Each identity's calls, `[replica, started, ended, answered 200]`: which replica a late re-login came from. */
  visits = new Map();
  #codeSeen = new Set();

  constructor(windows, graceMs) {
    this.windows = windows;
    this.graceMs = graceMs;
  }

  record({ status, body, codesAsked, wrongIdentity, identity, replica, started, ended }) {
    this.calls += 1;
    const visits = this.visits.get(identity.login) ?? [];
    visits.push([replica.index, started, ended, status === 200]);
    this.visits.set(identity.login, visits);
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    this.codesAsked += codesAsked;
    for (let i = 0; i < codesAsked; i++) {
      if (this.#codeSeen.has(identity.login)) this.codesAskedAgain.push({ t: ended, login: identity.login });
      this.#codeSeen.add(identity.login);
    }
    const record = { login: identity.login, kind: identity.kind, replica: replica.label, status, started, ended, body: summary(body) };
    if (wrongIdentity) keep(this.wrongIdentity, record);
    if (status === 200) return;
    // Windows that had opened by the call's end (the driver stamps them as they open).
    const open = this.windows.filter((w) => w.openedAt !== undefined);
    const overlapped = windowsOverlapping(open.map((w) => ({ ...w, startMs: w.openedAt, endMs: w.closedAt ?? Infinity })), started, ended, this.graceMs);
    if (overlapped.length === 0) return keep(this.failedOutside, record);
    // Put down to the last slot it overlapped (the windows of one slot open together): the fault it met last.
    const lastSlot = Math.max(...overlapped.map((w) => w.startMs));
    const label = overlapped.filter((w) => w.startMs >= lastSlot - 100).map((w) => w.label).join(' + ');
    this.failedInsideByWindow[label] = (this.failedInsideByWindow[label] ?? 0) + 1;
    const problem = typeof status !== 'number' ? 'no answer' : !UPSTREAM_FAILURES.has(status) ? `status ${status}` : apikitBodyProblem(status, body);
    if (problem !== undefined) keep(this.failedInsideBadly, { ...record, problem, window: label });
  }

  get failures() {
    return this.calls - (this.statuses[200] ?? 0);
  }
}

function kept() {
  return { total: 0, examples: [] };
}

function keep(list, record) {
  list.total += 1;
  if (list.examples.length < KEPT) list.examples.push(record);
}

/** What an answer's body said, short: apikit's fields, or the demo's, never more. */
function summary(body) {
  if (body === undefined) return undefined;
  if (typeof body.error_content === 'string') return { status_code: body.status_code, error_content: body.error_content.slice(0, 200) };
  return { value: body.value, jobname: body.jobname };
}
