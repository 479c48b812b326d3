import type { Tracer } from '@opentelemetry/api';
import type { LoginEnd, LoginObservation, LoginOutcome, LoginStart } from '../observability/index.js';
import type { OpenTelemetryApi } from './opentelemetry-api.loader.js';
import { endOnce } from './span-end.once.js';
import { LOGIN_SPAN } from './tracing.constants.js';

/** Outcomes that are the login working as meant: a session, or GitHub asking the caller for a code. */
const NOT_ERRORS: ReadonlySet<LoginOutcome> = new Set(['success', 'code_required']);

/**
 * An `apikit.login` span, child of the active context, with facts only: the outcome, the pages walked,
 * whether GitHub's kept session was used. The observer never sees a username or a secret, so neither can the span.
 */
export function startLoginSpan(api: OpenTelemetryApi, tracer: Tracer, start: LoginStart): LoginObservation {
  const span = tracer.startSpan(
    LOGIN_SPAN,
    {
      kind: api.SpanKind.INTERNAL,
      attributes: { 'apikit.login.submitting_code': start.submittingCode, 'apikit.login.github_session_reused': start.githubSessionReused },
    },
    api.context.active(),
  );
  return {
    end: endOnce(span, ({ outcome, pages }: LoginEnd) => {
      span.setAttributes({ 'apikit.login.outcome': outcome, 'apikit.login.pages': pages });
      if (!NOT_ERRORS.has(outcome)) span.setStatus({ code: api.SpanStatusCode.ERROR, message: outcome });
    }),
  };
}
