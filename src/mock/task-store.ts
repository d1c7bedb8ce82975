import { randomUUID } from 'node:crypto';

/** How many of the oldest tasks eviction looks through for a finished one. */
const EVICTION_WINDOW = 64;

/** n random hex digits (n ≤ 32): randomUUID draws from a cached entropy pool, far cheaper per call than randomBytes */
const randomHex = (n: number): string => randomUUID().replaceAll('-', '').slice(0, n);
import type { ResolvedSettings } from '../spec/resolve-settings.ts';

export type TaskOutcome = 'succeed' | 'fail' | 'policy' | 'never' | 'cancelled';
export type TaskPhase = 'initial' | 'running' | 'succeeded' | 'failed';

export interface MockTask {
  id: string;
  createdAt: number;
  updatedAt: number;
  completedAt?: number;
  polls: number;
  phase: TaskPhase;
  outcome: TaskOutcome;
  request: Record<string, unknown>;
  settings: ResolvedSettings;
  externalId?: string;
  /** the request's x-mock-scenario-id: lets a suite find the tasks its own requests created */
  traceId?: string;
  callbackUrl?: string;
  callbackSent: boolean;
  /** origin the task was created through, for result URLs that point back at this mock */
  origin: string;
  videoToken: string;
  price?: number;
}

/** In-memory tasks of one mock provider: creation, idempotent lookup, and how a task moves to its end. */
export class TaskStore {
  readonly tasks = new Map<string, MockTask>();
  private readonly byExternalId = new Map<string, MockTask>();
  /** result-link token → task: a download looks its task up directly */
  private readonly byToken = new Map<string, MockTask>();
  /** task ids in creation order from `head` on (ids no longer in `tasks` are skipped): eviction's queue */
  private order: string[] = [];
  private head = 0;
  private seq = 0;

  /** @param maxTasks the most tasks kept: past it the oldest finished task is evicted (default 50,000) */
  constructor(
    private readonly idPrefix: string,
    private readonly maxTasks = 50_000,
  ) {}

  /** Tasks evicted so far (the admin endpoint shows it). */
  evicted = 0;

  create(
    init: Omit<MockTask, 'id' | 'polls' | 'phase' | 'callbackSent' | 'videoToken' | 'updatedAt'>,
    useIdempotencyKey: boolean,
  ): { task: MockTask; reused: boolean } {
    if (useIdempotencyKey && init.externalId !== undefined) {
      const existing = this.byExternalId.get(init.externalId);
      if (existing) return { task: existing, reused: true };
    }
    this.seq += 1;
    const id = `${this.idPrefix}${String(this.seq).padStart(6, '0')}${randomHex(8)}`;
    const task: MockTask = {
      ...init,
      id,
      polls: 0,
      phase: 'initial',
      callbackSent: false,
      videoToken: randomHex(24),
      updatedAt: init.createdAt,
    };
    this.tasks.set(id, task);
    this.order.push(id);
    this.byToken.set(task.videoToken, task);
    if (init.externalId !== undefined && !this.byExternalId.has(init.externalId))
      this.byExternalId.set(init.externalId, task);
    if (this.tasks.size > this.maxTasks) this.evictOne();
    return { task, reused: false };
  }

  /**
   * Drops the oldest finished task among the EVICTION_WINDOW oldest (or, if none of them has finished, the oldest),
   * and its indexes. Bounded work per create: scanning all 50,000 tasks for a finished one made every create past
   * the cap O(n) when clients create without polling.
   */
  private evictOne(): void {
    // the creation order, oldest first: iterating the Map itself from its start after many deletions from its front
    // walks over every deleted slot (V8 compacts late), which cost ~37 µs per create at the cap
    while (this.head < this.order.length && !this.tasks.has(this.order[this.head]!)) this.head++;
    let victim: MockTask | undefined;
    for (let i = this.head; i < Math.min(this.order.length, this.head + EVICTION_WINDOW); i++) {
      const t = this.tasks.get(this.order[i]!);
      if (t && (t.phase === 'succeeded' || t.phase === 'failed')) {
        victim = t;
        break;
      }
    }
    victim ??= this.tasks.get(this.order[this.head]!)!;
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
    this.tasks.delete(victim.id);
    this.byToken.delete(victim.videoToken);
    if (victim.externalId !== undefined && this.byExternalId.get(victim.externalId) === victim)
      this.byExternalId.delete(victim.externalId);
    this.evicted += 1;
  }

  get(id: string): MockTask | undefined {
    return this.tasks.get(id);
  }

  byVideoToken(token: string): MockTask | undefined {
    return this.byToken.get(token);
  }

  clear(): void {
    this.tasks.clear();
    this.order = [];
    this.head = 0;
    this.byToken.clear();
    this.byExternalId.clear();
  }
}

/**
 * Moves a task along: by polls (poll k of N: initial in the first half, then running, terminal at N) or by
 * elapsed virtual time. Returns true when this call made the task terminal (time to send a callback).
 */
export function advanceTask(
  task: MockTask,
  now: number,
  progress: { afterPolls: number; afterMs?: number },
  countPoll: boolean,
): boolean {
  if (task.phase === 'succeeded' || task.phase === 'failed') return false;
  if (countPoll) task.polls += 1;
  let reached: 'initial' | 'running' | 'end';
  if (progress.afterMs !== undefined) {
    const elapsed = now - task.createdAt;
    reached = elapsed >= progress.afterMs ? 'end' : elapsed >= progress.afterMs / 2 ? 'running' : 'initial';
  } else {
    reached =
      task.polls >= progress.afterPolls
        ? 'end'
        : task.polls >= Math.ceil(progress.afterPolls / 2)
          ? 'running'
          : 'initial';
  }
  if (reached === 'end' && task.outcome === 'never') reached = 'running';
  const before = task.phase;
  if (reached === 'end') {
    task.phase = task.outcome === 'succeed' ? 'succeeded' : 'failed';
    task.completedAt = now;
  } else if (reached === 'running') task.phase = 'running';
  if (task.phase !== before) task.updatedAt = now;
  return reached === 'end';
}
