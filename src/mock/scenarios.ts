/**
 * Fault scenarios: a comma-separated list of steps, consumed one per request.
 * Sent as `x-mock-scenario: 429,429,ok` (the sequence is tracked per `x-mock-scenario-id`, or per the
 * header value when no id is given), or queued from tests with `scenarios.enqueue('500,ok')`.
 *
 * Steps: ok | <HTTP status> (200 or 400-599, e.g. 429, 500, 503; the documented error body, and no Retry-After)
 *        | commit-500 (create the task, then answer 500)
 *        | delay:<ms> (answer normally after a delay) | malformed (broken JSON) | reset (drop the connection)
 *        | 429:<s> (a 429 whose Retry-After is <s> seconds) | 429@<unix-seconds> (Retry-After as that HTTP-date)
 *        | fail (the task fails) | policy (the task fails on content policy) | never (the task never finishes)
 *        | expired-link (the task's result link has expired by the time it is fetched)
 */
export type ScenarioStep =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'commit-500' }
  | { kind: 'delay'; ms: number }
  | { kind: 'malformed' }
  | { kind: 'reset' }
  | { kind: 'task'; outcome: 'fail' | 'policy' | 'never' }
  | { kind: 'expired-link' };

/** The longest `delay:<ms>` step (60 s): longer would only hang a client (and overflow timers past ~24.8 days). */
export const MAX_DELAY_MS = 60_000;
/** Scenario sequences remembered at once; the oldest is forgotten first. */
export const MAX_SCENARIO_IDS = 10_000;
/** Steps in one scenario header. */
const MAX_STEPS = 100;

export function parseScenario(text: string): ScenarioStep[] {
  if (text.split(',').length > MAX_STEPS) throw new Error(`a scenario has at most ${MAX_STEPS} steps`);
  return text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
    .map((step): ScenarioStep => {
      if (step === 'ok') return { kind: 'ok' };
      if (/^(200|[45]\d\d)$/.test(step)) return { kind: 'status', status: Number(step) };
      if (/^429:\d{1,9}$/.test(step)) return { kind: 'status', status: 429, retryAfter: String(Number(step.slice(4))) };
      if (/^429@\d{1,12}$/.test(step))
        return { kind: 'status', status: 429, retryAfter: new Date(Number(step.slice(4)) * 1000).toUTCString() };
      if (step === 'commit-500' || step === '500-after-commit') return { kind: 'commit-500' };
      if (/^delay:\d{1,9}$/.test(step)) {
        const ms = Number(step.slice(6));
        if (ms > MAX_DELAY_MS) throw new Error(`delay:${ms} is longer than the ${MAX_DELAY_MS} ms a scenario may wait`);
        return { kind: 'delay', ms };
      }
      if (step === 'malformed' || step === 'reset') return { kind: step };
      if (step === 'fail' || step === 'policy' || step === 'never') return { kind: 'task', outcome: step };
      if (step === 'expired-link') return { kind: 'expired-link' };
      throw new Error(
        `unknown scenario step "${step}": use ok, a status (200 or 400-599) like 429, ` +
          `429:<seconds>, 429@<unix-seconds>, commit-500, delay:<ms>, malformed, reset, ` +
          `fail, policy, never or expired-link`,
      );
    });
}

export class ScenarioBook {
  private readonly byKey = new Map<string, { steps: ScenarioStep[]; next: number }>();
  private queue: ScenarioStep[] = [];

  /** Queues steps for the next requests, whatever they carry (programmatic use from tests). */
  enqueue(text: string): void {
    this.queue.push(...parseScenario(text));
  }

  /** The step for this request: the queued one first, then the header's sequence, else ok. Throws on a bad header. */
  next(header: string | null, id: string | null): ScenarioStep {
    const queued = this.queue.shift();
    if (queued) return queued;
    if (!header) return { kind: 'ok' };
    const key = id ?? header;
    let entry = this.byKey.get(key);
    if (!entry) {
      this.byKey.set(key, (entry = { steps: parseScenario(header), next: 0 }));
      // bounded: a long-running mock forgets the oldest sequences (Map keeps insertion order)
      if (this.byKey.size > MAX_SCENARIO_IDS) this.byKey.delete(this.byKey.keys().next().value!);
    }
    return entry.steps[entry.next++] ?? { kind: 'ok' };
  }

  get size(): number {
    return this.byKey.size;
  }

  reset(): void {
    this.byKey.clear();
    this.queue = [];
  }
}
