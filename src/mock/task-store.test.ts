import { describe, expect, it } from 'vitest';
import { TaskStore, type MockTask } from './task-store.ts';

const init = (at = 0) => ({
  createdAt: at,
  request: {},
  settings: { values: {}, defaulted: [], durationSeconds: 5 },
  outcome: 'succeed' as const,
  origin: 'http://127.0.0.1:1',
  price: 1,
});
const toEnd = { afterPolls: 1 };
const make = (store: TaskStore, n: number): MockTask[] =>
  Array.from({ length: n }, (_, i) => store.create(init(i), false).task);
/** the store's queues, for the bound on them (not part of its API) */
const queued = (store: TaskStore) =>
  (store as unknown as { created: { length: number }; ended: { length: number } }).created.length +
  (store as unknown as { ended: { length: number } }).ended.length;

describe('TaskStore eviction', () => {
  it('past the cap drops the task that ended first, and the oldest only while none has ended', () => {
    const store = new TaskStore('t-', 3);
    const [a, b, c] = make(store, 3) as [MockTask, MockTask, MockTask];
    expect(store.advance(c, 10, toEnd, true)).toBe(true);
    expect(store.advance(b, 11, toEnd, true)).toBe(true);
    store.create(init(), false);
    // c ended first: it goes, though a and b are older
    expect([store.get(a.id), store.get(b.id), store.get(c.id)]).toEqual([a, b, undefined]);
    store.create(init(), false);
    expect(store.get(b.id)).toBeUndefined();
    store.create(init(), false);
    // nothing else has ended: the oldest goes
    expect(store.get(a.id)).toBeUndefined();
    expect(store.evicted).toBe(3);
    expect(store.tasks.size).toBe(3);
  });

  it('counts a cancelled task as ended, and a task ends (and is queued) once', () => {
    const store = new TaskStore('t-', 2);
    const [a, b] = make(store, 2) as [MockTask, MockTask];
    store.cancel(b, 5);
    expect(b).toMatchObject({ phase: 'failed', outcome: 'cancelled', completedAt: 5 });
    expect(store.advance(a, 6, toEnd, true)).toBe(true);
    expect(store.advance(a, 7, toEnd, true)).toBe(false);
    store.create(init(), false);
    expect(store.get(b.id)).toBeUndefined();
    expect(store.get(a.id)).toBe(a);
  });

  it('finds a task by its result-link token, and nothing by a token it did not issue', () => {
    const store = new TaskStore('t-', 2);
    const [a] = make(store, 1) as [MockTask];
    expect(store.byVideoToken(a.videoToken)).toBe(a);
    const forged = `${'0'.repeat(16)}${a.id}`;
    expect(forged).not.toBe(a.videoToken);
    expect(store.byVideoToken(forged)).toBeUndefined();
    expect(store.byVideoToken(a.id)).toBeUndefined();
    make(store, 2);
    expect(store.byVideoToken(a.videoToken)).toBeUndefined();
  });

  it('keeps its queues bounded when a task that never ends stays oldest while thousands come and go', () => {
    const store = new TaskStore('t-', 10);
    const stuck = store.create({ ...init(), outcome: 'never' }, false).task;
    for (let i = 0; i < 20_000; i++) {
      const t = store.create(init(i), false).task;
      store.advance(t, i, toEnd, true);
    }
    expect(store.get(stuck.id)).toBe(stuck);
    expect(store.tasks.size).toBe(10);
    expect(queued(store)).toBeLessThan(2 * (2 * 10 + 1024));
  });
});
