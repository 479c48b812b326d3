// OpenTelemetry traces of the backend session (`tracing: true`): an observer of `observability/`,
// loaded with its optional peer only when on. Internal: the public barrel exports none of it.
export { tracingProvider } from './tracing.provider.js';
