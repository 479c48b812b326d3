import type { Dispatcher } from 'undici';
import { BufferedAnswer, BufferedFailure, BufferedResponseHandler } from './buffered-response.handler.js';
import { CallDeadline } from './call-deadline.js';

/** What undici hands a handler to abort its request with; here it records the abort. */
function recordingController(): Dispatcher.DispatchController & { abortedWith?: Error } {
  const controller = {
    aborted: false,
    paused: false,
    reason: null,
    abort(reason: Error) {
      controller.aborted = true;
      (controller as { abortedWith?: Error }).abortedWith = reason;
    },
    pause() {},
    resume() {},
  };
  return controller as unknown as Dispatcher.DispatchController & { abortedWith?: Error };
}

/** The handler's own fields, to check what it still holds once settled. */
type HandlerInsides = { chunks: Buffer[]; headers: object; settle: unknown; deadline: unknown; controller: unknown };

describe('BufferedResponseHandler', () => {
  let deadline: CallDeadline;
  beforeEach(() => (deadline = new CallDeadline(30_000, 'The backend')));
  afterEach(() => deadline.dispose());

  it('settles once with the whole answer, then holds nothing of the call', () => {
    const outcomes: Array<BufferedAnswer | BufferedFailure> = [];
    const handler = new BufferedResponseHandler(1024, deadline, (outcome) => outcomes.push(outcome));
    const controller = recordingController();
    handler.onRequestStart(controller);
    handler.onResponseStart(controller, 200, { 'content-type': 'text/plain' });
    handler.onResponseData(controller, Buffer.from('hello, '));
    handler.onResponseData(controller, Buffer.from('world'));
    handler.onResponseEnd();
    handler.onResponseError(controller, new Error('late'));
    expect(outcomes).toEqual([{ status: 200, headers: { 'content-type': 'text/plain' }, body: Buffer.from('hello, world') }]);
    // Settled: no chunk, header, callback, deadline or undici controller (which holds the raw headers) kept.
    const insides = handler as unknown as HandlerInsides;
    expect([insides.chunks.length, Object.keys(insides.headers), insides.settle, insides.deadline, insides.controller]).toEqual([0, [], undefined, undefined, undefined]);
    expect(deadline.listenerCount).toBe(0);
  });

  it('aborts a body over the limit and releases what it had buffered', () => {
    const outcomes: Array<BufferedAnswer | BufferedFailure> = [];
    const handler = new BufferedResponseHandler(8, deadline, (outcome) => outcomes.push(outcome));
    const controller = recordingController();
    handler.onRequestStart(controller);
    handler.onResponseStart(controller, 200, {});
    handler.onResponseData(controller, Buffer.from('12345'));
    handler.onResponseData(controller, Buffer.from('6789'));
    expect(outcomes).toEqual([{ kind: 'too-large' }]);
    expect(controller.abortedWith?.message).toBe('too-large');
    expect((handler as unknown as HandlerInsides).chunks).toEqual([]);
    expect((handler as unknown as HandlerInsides).controller).toBeUndefined();
  });

  it('aborts at the deadline through the controller, then lets go of it', async () => {
    const short = new CallDeadline(5, 'The backend');
    const outcomes: Array<BufferedAnswer | BufferedFailure> = [];
    const handler = new BufferedResponseHandler(1024, short, (outcome) => outcomes.push(outcome));
    const controller = recordingController();
    handler.onRequestStart(controller);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(outcomes).toEqual([{ kind: 'aborted' }]);
    expect(controller.abortedWith?.message).toBe('aborted');
    expect((handler as unknown as HandlerInsides).controller).toBeUndefined();
  });

  it('aborts a request that starts after the handler settled, without keeping its controller', () => {
    const handler = new BufferedResponseHandler(8, deadline, () => undefined);
    const first = recordingController();
    handler.onRequestStart(first);
    handler.onResponseStart(first, 200, { 'content-length': '9' });
    const late = recordingController();
    handler.onRequestStart(late);
    expect(late.abortedWith?.message).toBe('request ended');
    expect((handler as unknown as HandlerInsides).controller).toBeUndefined();
  });

  it('settles on an error undici reports before the request started (a refusal while dispatching), with no controller', () => {
    const outcomes: Array<BufferedAnswer | BufferedFailure> = [];
    const handler = new BufferedResponseHandler(1024, deadline, (outcome) => outcomes.push(outcome));
    const refusal = Object.assign(new Error('invalid x-tag header'), { code: 'UND_ERR_INVALID_ARG' });
    handler.onResponseError(undefined, refusal);
    handler.onResponseError(undefined, new Error('again'));
    expect(outcomes).toEqual([{ kind: 'connection', error: refusal }]);
    expect(deadline.listenerCount).toBe(0);
  });
});
