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
 */
export type ScenarioStep =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'commit-500' }
  | { kind: 'delay'; ms: number }
  | { kind: 'malformed' }
  | { kind: 'reset' }
  | { kind: 'task'; outcome: 'fail' | 'policy' | 'never' };

export function parseScenario(text: string): ScenarioStep[] {
  return text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
    .map((step): ScenarioStep => {
      if (step === 'ok') return { kind: 'ok' };
      if (/^(200|[45]\d\d)$/.test(step)) return { kind: 'status', status: Number(step) };
      if (/^429:\d{1,9}$/.test(step)) return { kind: 'status', status: 429, retryAfter: String(Number(step.slice(4))) };
      if (/^429@\d{1,12}$/.test(step)) return { kind: 'status', status: 429, retryAfter: new Date(Number(step.slice(4)) * 1000).toUTCString() };
      if (step === 'commit-500' || step === '500-after-commit') return { kind: 'commit-500' };
      if (step.startsWith('delay:')) return { kind: 'delay', ms: Number(step.slice(6)) || 0 };
      if (step === 'malformed' || step === 'reset') return { kind: step };
      if (step === 'fail' || step === 'policy' || step === 'never') return { kind: 'task', outcome: step };
      throw new Error(`unknown scenario step "${step}": use ok, a status (200 or 400-599) like 429, 429:<seconds>, 429@<unix-seconds>, commit-500, delay:<ms>, malformed, reset, fail, policy or never`);
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
    if (!entry) this.byKey.set(key, (entry = { steps: parseScenario(header), next: 0 }));
    return entry.steps[entry.next++] ?? { kind: 'ok' };
  }

  reset(): void {
    this.byKey.clear();
    this.queue = [];
  }
}
