import { simulatedMetricValue } from './simulated-backend.handler.js';

describe('simulatedMetricValue', () => {
  it('is a deterministic decimal per (job, metric)', () => {
    expect(simulatedMetricValue('build', 'cpu')).toBe(simulatedMetricValue('build', 'cpu'));
    expect(simulatedMetricValue('build', 'cpu')).toMatch(/^\d{1,3}\.\d{2}$/);
  });

  it('tells pairs apart, including swapped and concatenation-ambiguous ones', () => {
    const values = new Set(['a|bc', 'ab|c', 'bc|a', 'x|y', 'y|x'].map((pair) => {
      const [job, metric] = pair.split('|');
      return simulatedMetricValue(job, metric);
    }));
    expect(values.size).toBe(5);
  });
});
