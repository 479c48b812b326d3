import { BackendError } from '../errors/backend-error.js';
import { apikitErrorOf } from './apikit-error.reader.js';

const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');

describe('apikitErrorOf', () => {
  it("makes apikit's error body the BackendError it was, with the neighbour's status", () => {
    const error = apikitErrorOf(503, bytes({ reason: 'Service Unavailable', status_code: 503, error_content: 'busy' }));
    expect(error).toBeInstanceOf(BackendError);
    expect(error?.toDict()).toEqual({ reason: 'Service Unavailable', status_code: 503, error_content: 'busy' });
  });

  it('keeps a null error_content null', () => {
    expect(apikitErrorOf(400, bytes({ reason: 'Bad Request', status_code: 400, error_content: null }))?.toDict().error_content).toBeNull();
  });

  it.each([
    ['text', 'Internal Server Error'],
    ["Nest's own body", { statusCode: 404, message: 'Cannot GET /x', error: 'Not Found' }],
    ['a body missing error_content', { reason: 'Not Found', status_code: 404 }],
    ['a non-integer status_code', { reason: 'x', status_code: '404', error_content: null }],
  ])('leaves %s alone (the client returns it as the call error)', (_what, body) => {
    expect(apikitErrorOf(500, bytes(body))).toBeUndefined();
  });
});
