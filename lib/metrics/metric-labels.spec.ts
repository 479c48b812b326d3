import { methodLabel, statusClassLabel } from './metric-labels.js';

describe('metric labels', () => {
  it.each([['GET', 'GET'], ['DELETE', 'DELETE'], ['PROPFIND', 'other'], ['get', 'other']])('method %s is %s', (method, label) => {
    expect(methodLabel(method)).toBe(label);
  });

  it.each([[200, '2xx'], [204, '2xx'], [302, '3xx'], [404, '4xx'], [503, '5xx'], [101, '1xx'], [600, 'other'], [undefined, 'error']])(
    'status %s is %s',
    (status, label) => {
      expect(statusClassLabel(status)).toBe(label);
    },
  );
});
