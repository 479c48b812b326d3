// The `apikit.started` log line: what ApiKitModule set up, written once at bootstrap. Internal.
export { ApiKitBootReport } from './boot-report.provider.js';
