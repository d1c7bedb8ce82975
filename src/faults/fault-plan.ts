import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { HarnessError } from '../core/errors.ts';
import { jitterDocumented } from '../spec/jitter.ts';
import type { ProviderSpec } from '../spec/model.ts';

/** The operations a fault can meet; `create` faults may also mark the task they make (fail, expired-link). */
export type FaultOperation = 'create' | 'poll' | 'result' | 'cancel';
export const FAULT_OPERATIONS: readonly FaultOperation[] = ['create', 'poll', 'result', 'cancel'];

/** One injected fault: the `at`-th request of `operation` from each client gets `step` (a mock scenario step). */
export interface FaultEntry {
  id: string;
  operation: FaultOperation;
  /** 1-based: which of a client's requests of this operation */
  at: number;
  /** a scenario step: `429`, `429:<s>`, `commit-500`, `500`, `fail`, `policy`, `expired-link`, `delay:<ms>`… */
  step: string;
  /** why this fault is in the plan: the documented behaviour it tests */
  why?: string;
  source?: string;
}

export interface FaultPlan {
  name: string;
  seed: number;
  faults: FaultEntry[];
}

/** Named plans; anything else is read as a plan file. */
export const NAMED_PLANS = ['documented', 'none'] as const;

const sourceOf = (spec: ProviderSpec, source: { ref: string; part: string } | undefined) =>
  source ? `${spec.x.sources[source.ref]?.title ?? source.ref}: ${source.part}` : undefined;

/**
 * `documented`: each client meets each fault its provider documents once, in an order a client running a few jobs
 * one after another meets them all: its first create is rate limited (429, with Retry-After where the provider
 * documents the header), the create after its retry is answered 500 after the task was committed, a poll is rate
 * limited, one task fails, one task's result link has expired when fetched. `seed` picks which poll (1st or 2nd).
 * Where the documents prescribe jitter, the 4th and 6th polls are rate limited without Retry-After: two backoff
 * waits after equal answers, which jitter makes differ.
 */
export function documentedPlan(spec: ProviderSpec, seed: number): FaultPlan {
  const x = spec.x;
  const faults: FaultEntry[] = [];
  const a429 = x.retry['429'];
  if (a429 || x.errors['429']) {
    const seconds = Math.max(1, Math.ceil((a429?.delaysMs?.[0] ?? 1000) / 1000));
    const step = a429?.retryAfter ? `429:${seconds}` : '429';
    const source = sourceOf(spec, a429?.source);
    faults.push({
      id: 'create-429',
      operation: 'create',
      at: 1,
      step,
      why: 'the first create is rate limited',
      source,
    });
    faults.push({
      id: 'poll-429',
      operation: 'poll',
      at: 1 + (Math.abs(seed) % 2),
      step,
      why: 'a poll is rate limited',
      source,
    });
  }
  if (jitterDocumented(spec, a429))
    for (const [n, at] of [4, 6].entries())
      faults.push({
        id: `poll-429-backoff-${n + 1}`,
        operation: 'poll',
        at,
        step: '429',
        why: 'a poll is rate limited without Retry-After, twice: the two backoff waits must differ (documented jitter)',
        source: sourceOf(spec, a429?.source),
      });
  if (x.retry['500'] || x.errors['500'])
    faults.push({
      id: 'create-500-committed',
      operation: 'create',
      at: 3,
      step: 'commit-500',
      why: 'a create is answered 500 after its task was made',
      source: sourceOf(spec, x.retry['500']?.source),
    });
  if (x.lifecycle.failed)
    faults.push({
      id: 'task-fails',
      operation: 'create',
      at: 4,
      step: 'fail',
      why: `a task ends ${x.lifecycle.failed}`,
      source: sourceOf(spec, x.lifecycle.source),
    });
  faults.push({
    id: 'link-expired',
    operation: 'create',
    at: 5,
    step: 'expired-link',
    why: 'the result link has expired by the time it is fetched',
    source: sourceOf(spec, x.resultLink.lifetimeSeconds[0]?.source),
  });
  return { name: 'documented', seed, faults };
}

/**
 * A named plan (`documented`, `none`) or a plan file (JSON or YAML): `{ "faults": [{ "operation": "create", "at": 1,
 * "step": "429:1" }, …] }` with optional `id`, `why` and a top-level `seed`. Bad input names the file and field.
 */
export function loadFaultPlan(nameOrFile: string, spec: ProviderSpec, seed: number): FaultPlan {
  if (nameOrFile === 'documented') return documentedPlan(spec, seed);
  if (nameOrFile === 'none') return { name: 'none', seed, faults: [] };
  if (!existsSync(nameOrFile))
    throw new HarnessError('USAGE', `--faults ${nameOrFile}: no such plan or file`, {
      fix: `use a named plan (${NAMED_PLANS.join(', ')}) or the path of a plan file (docs/verify-client.md)`,
    });
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(nameOrFile, 'utf8'));
  } catch (err) {
    throw new HarnessError('INPUT', `${nameOrFile} is not JSON or YAML: ${(err as Error).message}`, {
      file: nameOrFile,
      fix: 'write the plan as JSON or YAML (docs/verify-client.md)',
    });
  }
  return checkPlan(raw, nameOrFile, seed);
}

function checkPlan(raw: unknown, file: string, seed: number): FaultPlan {
  const bad = (pointer: string, what: string) =>
    new HarnessError('INPUT', `${file}: ${pointer} ${what}`, {
      file,
      pointer,
      fix: 'each fault is {operation: create|poll|result|cancel, at: <n ≥ 1>, step: "<scenario step>"}',
    });
  const plan = raw as { seed?: unknown; faults?: unknown };
  if (!plan || typeof plan !== 'object' || !Array.isArray(plan.faults)) throw bad('/faults', 'must be a list');
  const faults = plan.faults.map((f: Record<string, unknown>, i): FaultEntry => {
    const at = `/faults/${i}`;
    if (!f || typeof f !== 'object') throw bad(at, 'must be an object');
    if (!FAULT_OPERATIONS.includes(f.operation as FaultOperation))
      throw bad(`${at}/operation`, `must be one of ${FAULT_OPERATIONS.join(', ')}`);
    if (!Number.isInteger(f.at) || (f.at as number) < 1) throw bad(`${at}/at`, 'must be a whole number ≥ 1');
    if (typeof f.step !== 'string' || !f.step) throw bad(`${at}/step`, 'must be a scenario step');
    return {
      id: typeof f.id === 'string' ? f.id : `${f.operation}-${f.at}`,
      operation: f.operation as FaultOperation,
      at: f.at as number,
      step: f.step,
      ...(typeof f.why === 'string' ? { why: f.why } : {}),
    };
  });
  return { name: file, seed: Number.isInteger(plan.seed) ? (plan.seed as number) : seed, faults };
}

/** Per client (API key or x-client-id), how many requests of each operation it has sent: parallel workers never
 * share a fault. Bounded: past `maxClients` the oldest client is forgotten. */
export class FaultBook {
  private readonly counts = new Map<string, Record<string, number>>();

  constructor(
    readonly plan: FaultPlan,
    private readonly maxClients = 10_000,
  ) {}

  /** The fault for this client's next request of `operation`, if the plan has one there. */
  next(client: string, operation: FaultOperation): FaultEntry | undefined {
    if (this.plan.faults.length === 0) return undefined;
    let counts = this.counts.get(client);
    if (!counts) {
      this.counts.set(client, (counts = {}));
      if (this.counts.size > this.maxClients) this.counts.delete(this.counts.keys().next().value!);
    }
    const n = (counts[operation] = (counts[operation] ?? 0) + 1);
    return this.plan.faults.find((f) => f.operation === operation && f.at === n);
  }

  reset(): void {
    this.counts.clear();
  }
}
