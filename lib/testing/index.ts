// nestjs-apikit/testing: a simulated oauth2-proxy + GitHub + backend on loopback, for tests and demos.
export { startSimulatedStack } from './simulated-stack.factory.js';
export { simulatedBackendHandler, simulatedMetricValue } from './backend/simulated-backend.handler.js';
export type {
  SimulatedBackendContext,
  SimulatedBackendHandler,
  SimulatedBackendLogEntry,
  SimulatedCode,
  SimulatedFaults,
  SimulatedStack,
  SimulatedStackOptions,
  SimulatedStackStats,
  SimulatedTwoFactor,
  SimulatedUser,
} from './simulated-stack.interface.js';
