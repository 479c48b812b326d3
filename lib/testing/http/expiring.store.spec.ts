import { ExpiringStore } from './expiring.store.js';

describe('ExpiringStore', () => {
  it('evicts the oldest entry beyond its capacity', () => {
    const store = new ExpiringStore<number>(60_000, 2);
    store.set('a', 1);
    store.set('b', 2);
    store.set('c', 3);
    expect([store.get('a'), store.get('b'), store.get('c')]).toEqual([undefined, 2, 3]);
  });

  it('forgets expired entries and hands out one-time values once', () => {
    const store = new ExpiringStore<string>(60_000);
    store.set('gone', 'x', 0);
    expect(store.get('gone')).toBeUndefined();
    store.set('code', 'login');
    expect(store.take('code')).toBe('login');
    expect(store.take('code')).toBeUndefined();
    store.set('k', 'v');
    store.clear();
    expect(store.get('k')).toBeUndefined();
  });
});
