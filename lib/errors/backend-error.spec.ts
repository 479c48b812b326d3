import { BackendError } from './backend-error.js';

describe('BackendError (apikit tests/test_backenderror.py)', () => {
  it('test_backenderror: leaving out the reason is a TypeError', () => {
    // @ts-expect-error: apikit's BackendError() without arguments
    expect(() => new BackendError()).toThrow(TypeError);
  });

  it("test_backenderror: a reason that is not a string is a TypeError naming 'reason'", () => {
    // @ts-expect-error: apikit's BackendError(14)
    expect(() => new BackendError(14)).toThrow(/'reason' must be a string, got number/);
  });

  it("test_backenderror: a status code that is not an integer is a TypeError naming 'statusCode'", () => {
    expect(() => new BackendError('marathon error', 26.2)).toThrow(TypeError);
    expect(() => new BackendError('marathon error', 26.2)).toThrow(/'statusCode' must be an integer/);
  });

  it('test_backenderror: content that is not a string is a TypeError', () => {
    // @ts-expect-error: apikit's BackendError("not a toaster", 922, [])
    expect(() => new BackendError('not a toaster', 922, [])).toThrow(/'content' must be a string or bytes, got array/);
  });

  it('test_backenderror: minimal error has status 400', () => {
    const exc = new BackendError('minimal');
    expect(exc.reason).toBe('minimal');
    expect(exc.statusCode).toBe(400);
    expect(exc.content).toBeUndefined();
  });

  it('test_backenderror: a status code is kept', () => {
    expect(new BackendError('Nae so wee', 789).statusCode).toBe(789);
  });

  it('test_backenderror: content, toDict() and the string representation', () => {
    const exc = new BackendError('bad horse', 666, 'thoroughbred of sin');
    expect(exc.content).toBe('thoroughbred of sin');
    expect(exc.toDict()).toEqual({ reason: 'bad horse', status_code: 666, error_content: 'thoroughbred of sin' });
    expect(String(exc)).toBe('BackendError: 666 bad horse [thoroughbred of sin]');
    expect(exc).toBeInstanceOf(Error);
    expect(exc.name).toBe('BackendError');
  });

  it('accepts an empty reason', () => {
    expect(new BackendError('').reason).toBe('');
  });

  it('decodes bytes content as UTF-8 (apikit accepted bytes)', () => {
    expect(new BackendError('r', 502, Buffer.from('caf\u00e9', 'utf8')).content).toBe('caf\u00e9');
    expect(new BackendError('r', 502, new Uint8Array([0x68, 0x69])).content).toBe('hi');
  });

  it('toDict() always carries error_content, null without content, so the JSON has the three keys', () => {
    const body = JSON.parse(JSON.stringify(new BackendError('minimal').toDict())) as Record<string, unknown>;
    expect(body).toEqual({ reason: 'minimal', status_code: 400, error_content: null });
    expect(String(new BackendError('minimal'))).toBe('BackendError: 400 minimal');
  });

  it('keeps headers apart from the body, frozen', () => {
    const exc = new BackendError('Unauthorized', 401, undefined, { 'WWW-Authenticate': 'Basic realm="api"' });
    expect(exc.headers).toEqual({ 'WWW-Authenticate': 'Basic realm="api"' });
    expect(Object.isFrozen(exc.headers)).toBe(true);
    expect(exc.toDict()).not.toHaveProperty('WWW-Authenticate');
  });

  it('refuses header names and values that would break or inject into the response, without echoing the value', () => {
    expect(() => new BackendError('r', 401, undefined, { 'bad name': 'x' })).toThrow(/header name "bad name"/);
    const injected = () => new BackendError('r', 401, undefined, { 'X-Token': 'secret\r\nSet-Cookie: a=b' });
    expect(injected).toThrow(/header 'X-Token' value must not contain CR, LF or NUL/);
    expect(injected).not.toThrow(/secret/);
    // @ts-expect-error: a non-string header value
    expect(() => new BackendError('r', 401, undefined, { 'X-Count': 3 })).toThrow(/header 'X-Count' must have a string value/);
  });
});
