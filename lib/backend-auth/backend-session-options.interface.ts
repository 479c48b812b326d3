/** Tuning of the backend session; filled in by the backend-authentication capability. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface BackendSessionOptions {}
