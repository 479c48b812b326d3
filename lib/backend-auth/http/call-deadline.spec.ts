import { setTimeout as delay } from 'node:timers/promises';
import { BackendError } from '../../errors/backend-error.js';
import { CallDeadline } from './call-deadline.js';

describe('CallDeadline', () => {
  it('aborts once its time is up: an abort event, and a 504 naming what did not answer', async () => {
    const deadline = new CallDeadline(30, 'The backend');
    const events: string[] = [];
    deadline.onAbort(() => events.push('abort'));
    expect(deadline.aborted).toBe(false);
    await delay(80);
    expect(events).toEqual(['abort']);
    expect(deadline.aborted).toBe(true);
    expect((deadline.reason as DOMException).name).toBe('TimeoutError');
    expect(() => deadline.throwIfAborted()).toThrow(BackendError);
    expect((deadline.abortError() as BackendError).toDict()).toEqual({
      reason: 'Gateway Timeout',
      status_code: 504,
      error_content: 'The backend did not answer within 30 ms.',
    });
  });

  it('tells each listener once, and not one removed before', async () => {
    const deadline = new CallDeadline(20, 'The backend');
    const heard: string[] = [];
    const removed = (): number => heard.push('removed');
    deadline.onAbort(() => heard.push('first'));
    deadline.onAbort(removed);
    deadline.onAbort(() => heard.push('last'));
    deadline.offAbort(removed);
    await delay(60);
    expect(heard).toEqual(['first', 'last']);
    expect(deadline.listenerCount).toBe(0);
  });

  it("aborts with the caller's reason when the caller's signal aborts first", () => {
    const caller = new AbortController();
    const deadline = new CallDeadline(10_000, 'The backend', caller.signal);
    caller.abort('stop');
    expect(deadline.aborted).toBe(true);
    expect(deadline.abortError()).toBe('stop');
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toBe('stop');
    deadline.dispose();
  });

  it('starts aborted when the caller signal already is', () => {
    const deadline = new CallDeadline(10_000, 'The backend', AbortSignal.abort('gone'));
    expect(() => deadline.throwIfAborted()).toThrow('gone');
    deadline.dispose();
  });

  it('gives an AbortSignal made on first use that follows the deadline, before or after it expires', async () => {
    const early = new CallDeadline(30, 'The login');
    const signal = early.signal;
    expect(signal.aborted).toBe(false);
    await delay(80);
    expect(signal.aborted).toBe(true);
    const late = new CallDeadline(10, 'The login');
    await delay(40);
    expect(late.signal.aborted).toBe(true);
    expect((late.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('stops listening to the caller once disposed, and a disposed deadline never fires', async () => {
    const caller = new AbortController();
    const deadline = new CallDeadline(30, 'The backend', caller.signal);
    deadline.dispose();
    caller.abort('late');
    await delay(60);
    expect(deadline.aborted).toBe(false);
  });

  it('races shared work: rejects on abort without cancelling it, and leaves no listener behind', async () => {
    const deadline = new CallDeadline(30, 'The login');
    let finish!: (value: string) => void;
    const work = new Promise<string>((resolve) => (finish = resolve));
    await expect(deadline.race(work)).rejects.toMatchObject({ statusCode: 504 });
    finish('done');
    await expect(work).resolves.toBe('done');
    const settled = new CallDeadline(10_000, 'The login');
    await expect(settled.race(Promise.resolve('ok'))).resolves.toBe('ok');
    await delay(0);
    expect(settled.listenerCount).toBe(0);
    settled.dispose();
  });
});
