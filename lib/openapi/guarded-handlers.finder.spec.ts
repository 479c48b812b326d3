import { isCallerOperation } from './guarded-handlers.finder.js';

const IDS = new Set(['MetricController_metric', 'Admin_jobs']);

describe('isCallerOperation', () => {
  it.each([
    ['MetricController_metric', true],
    ['MetricController_metric[1]', true], // a controller with several paths
    ['Admin_jobs_2', true], // versioned
    ['Admin_jobs[0]_2', true],
    ['MetricController_metrics', false],
    ['Other_metric', false],
    ['MetricController', false],
  ])('%s: %s', (operationId, expected) => {
    expect(isCallerOperation(operationId, IDS)).toBe(expected);
  });

  it('is false for an operation without an id', () => {
    expect(isCallerOperation(undefined, IDS)).toBe(false);
  });
});
