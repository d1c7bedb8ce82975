import type { ResolvedSettings } from '../spec/resolve-settings.ts';
import { randomHex } from './random-hex.ts';

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
  /** request fields not kept (the request was larger than the per-task bound) */
  droppedFields?: string[];
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
  /** fault `expired-link`: the result link answers expired on every fetch, before its stated expiry */
  linkExpired?: boolean;
}

/** In-memory tasks of one mock provider: creation, idempotent lookup, and how a task moves to its end. */
export class TaskStore {
  readonly tasks = new Map<string, MockTask>();
  private readonly byExternalId = new Map<string, MockTask>();
  /** every task in creation order, and the ended ones in the order they ended: eviction's two queues */
  private readonly created = new IdQueue();
  private readonly ended = new IdQueue();
  private seq = 0;

  /** @param maxTasks the most tasks kept: past it the task that ended first (else the oldest) goes (default 50,000) */
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
    // spelled out: `{ ...init, id, … }` (a spread, then more properties) cost ~6 µs a task in V8, a tenth of a
    // create
    const task: MockTask = {
      id,
      createdAt: init.createdAt,
      updatedAt: init.createdAt,
      polls: 0,
      phase: 'initial',
      outcome: init.outcome,
      request: init.request,
      droppedFields: init.droppedFields,
      settings: init.settings,
      externalId: init.externalId,
      traceId: init.traceId,
      callbackUrl: init.callbackUrl,
      callbackSent: false,
      origin: init.origin,
      // the task id after 16 random hex digits: a download finds its task without an index of its own
      videoToken: `${randomHex(16)}${id}`,
      price: init.price,
    };
    this.tasks.set(id, task);
    this.created.push(id);
    if (init.externalId !== undefined && !this.byExternalId.has(init.externalId))
      this.byExternalId.set(init.externalId, task);
    if (this.tasks.size > this.maxTasks) this.evictOne();
    return { task, reused: false };
  }

  /**
   * Drops the task that ended first (or, while none has ended, the oldest) and its indexes: O(1) per create past
   * the cap. (Looking through the oldest tasks for an ended one cost a map lookup per task looked at on every
   * create when clients create without polling.)
   */
  private evictOne(): void {
    const live = (id: string) => this.tasks.has(id);
    const victim = this.tasks.get(this.ended.first(live) ?? this.created.first(live)!)!;
    this.tasks.delete(victim.id);
    if (victim.externalId !== undefined && this.byExternalId.get(victim.externalId) === victim)
      this.byExternalId.delete(victim.externalId);
    this.evicted += 1;
    // ids of tasks evicted out of creation order stay queued until read past; drop them before they pile up
    if (this.created.length > 2 * this.tasks.size + 1024) this.created.keep(live);
    if (this.ended.length > 2 * this.tasks.size + 1024) this.ended.keep(live);
  }

  /**
   * Moves a task along (see advanceTask) and, when this call ended it, queues it for eviction first. Returns true
   * when this call ended the task (time to send a callback).
   */
  advance(task: MockTask, now: number, progress: { afterPolls: number; afterMs?: number }, countPoll: boolean) {
    const endedNow = advanceTask(task, now, progress, countPoll);
    if (endedNow) this.ended.push(task.id);
    return endedNow;
  }

  /** Ends a task as cancelled. */
  cancel(task: MockTask, now: number): void {
    task.outcome = 'cancelled';
    task.phase = 'failed';
    task.completedAt = task.updatedAt = now;
    this.ended.push(task.id);
  }

  get(id: string): MockTask | undefined {
    return this.tasks.get(id);
  }

  byVideoToken(token: string): MockTask | undefined {
    const task = this.tasks.get(token.slice(16));
    return task?.videoToken === token ? task : undefined;
  }

  clear(): void {
    this.tasks.clear();
    this.created.clear();
    this.ended.clear();
    this.byExternalId.clear();
  }
}

/** Task ids oldest first, read from `head` on; ids of tasks no longer stored are skipped when read. */
class IdQueue {
  private ids: string[] = [];
  private head = 0;

  get length(): number {
    return this.ids.length - this.head;
  }

  push(id: string): void {
    this.ids.push(id);
  }

  /** The oldest id still `live`, skipping (and forgetting) the others before it. */
  first(live: (id: string) => boolean): string | undefined {
    while (this.head < this.ids.length && !live(this.ids[this.head]!)) this.head++;
    if (this.head > 1024 && this.head * 2 > this.ids.length) this.keep(live);
    return this.ids[this.head];
  }

  /** Keeps only the live ids (in order). */
  keep(live: (id: string) => boolean): void {
    this.ids = this.ids.slice(this.head).filter(live);
    this.head = 0;
  }

  clear(): void {
    this.ids = [];
    this.head = 0;
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
