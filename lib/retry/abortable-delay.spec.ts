import { abortableDelay } from './abortable-delay.js';

describe('abortableDelay', () => {
  it('resolves after the delay', async () => {
    await expect(abortableDelay(5)).resolves.toBeUndefined();
  });

  it('rejects with the signal reason when aborted during the wait', async () => {
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const waiting = abortableDelay(60_000, controller.signal);
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });

  it('rejects at once when the signal is already aborted', async () => {
    await expect(abortableDelay(60_000, AbortSignal.abort('gone'))).rejects.toBe('gone');
  });
});
