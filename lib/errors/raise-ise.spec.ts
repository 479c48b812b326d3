import { BackendError } from './backend-error.js';
import { raiseIse } from './raise-ise.js';

function caught(fn: () => unknown): BackendError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BackendError) return error;
    throw error;
  }
  throw new Error('expected a BackendError to be thrown');
}

describe('raiseIse (apikit tests/test_raise_ise.py)', () => {
  it('test_raise_ise: throws 500 Internal Server Error with the text as content', () => {
    const exc = caught(() => raiseIse('hippopotamus'));
    expect(exc.statusCode).toBe(500);
    expect(exc.reason).toBe('Internal Server Error');
    expect(exc.content).toBe('hippopotamus');
  });

  it("given an Error, uses its message as content (apikit's str(exception))", () => {
    const exc = caught(() => raiseIse(new RangeError('out of hippos')));
    expect(exc.content).toBe('out of hippos');
    expect(exc.toDict()).toEqual({ reason: 'Internal Server Error', status_code: 500, error_content: 'out of hippos' });
  });
});
