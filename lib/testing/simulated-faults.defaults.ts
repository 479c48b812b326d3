import type { SimulatedFaults } from './simulated-stack.interface.js';

/** Every switch off: the stack behaves like the real services. */
export function createDefaultFaults(): SimulatedFaults {
  return {
    githubDown: false,
    githubDelayMs: 0,
    proxyDown: false,
    loginPageWithoutForm: false,
    oauthAppAuthorizationPage: false,
    backendStatus: undefined,
    backendStatusTimes: Infinity,
    backendDelayMs: 0,
    backendReset: false,
    backendBodyBytes: undefined,
  };
}
