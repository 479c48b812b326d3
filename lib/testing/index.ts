// nestjs-apikit/testing: a simulated oauth2-proxy + GitHub + backend on loopback, for tests and demos.
export { startSimulatedStack } from './simulated-stack.factory.js';
export { simulatedBackendHandler, simulatedMetricValue } from './backend/simulated-backend.handler.js';
export type {
  SimulatedBackendContext,
  SimulatedBackendHandler,
  SimulatedBackendLogEntry,
  SimulatedFaults,
  SimulatedStack,
  SimulatedStackOptions,
  SimulatedStackStats,
  SimulatedUser,
} from './simulated-stack.interface.js';
