// A check whose requests span several tasks (a create retried, a second task, polls of each, a check judged again
// on fresh tasks): each noisy exchange's label names the task it belongs to and which try of its own request it was,
// so one task's attempts are never read as another's.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSpecById } from '../spec/load-spec.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { runCheck } from './engine.ts';
import { nameNoise, transientEvidence } from './transient.ts';
import type { CheckContext, CheckDefinition, Verdict } from './types.ts';

const BASE = 'https://gw.example';
const CREATE = `${BASE}/v1/videos/generations`;
const poll = (task: string, status: number, attempt: number) => ({
  method: 'GET',
  url: `${BASE}/v1/tasks/${task}`,
  status,
  attempt,
});
const created = (task: string, retried: object[] = []) => ({
  method: 'POST',
  url: CREATE,
  status: 200,
  body: { id: task },
  ...(retried.length ? { retried } : {}),
});

let evolink: ProviderSpec;
beforeAll(async () => {
  evolink = await loadSpecById('evolink-kling-v3-t2v');
});

/** a check that observes what `rounds` holds, one entry per time it is judged, and passes on a clean one */
function check(rounds: unknown[]): { def: CheckDefinition; ctx: CheckContext } {
  let round = 0;
  const def: CheckDefinition = {
    id: 'lifecycle.test',
    family: 'lifecycle',
    title: 'a check over several tasks',
    cost: 'free',
    target: 'any',
    probe: async () => rounds[round++],
    evaluate: (): Verdict =>
      round < rounds.length ? { status: 'fail', message: 'x' } : { status: 'pass', message: 'ok' },
  };
  const probes = { retried: () => probes };
  const ctx = { spec: evolink, probes, sleep: async () => {}, strict: false } as unknown as CheckContext;
  return { def, ctx };
}

const labels = (spec: ProviderSpec, observation: unknown) =>
  transientEvidence(
    spec,
    { id: 'lifecycle.test', family: 'lifecycle' },
    { status: 'pass', message: '' },
    observation,
  ).map(nameNoise);

describe('noise labels name their task', () => {
  it('a create retried before it made its task, two tasks polled, a create that made none', () => {
    const observation = {
      first: {
        create: created('task-A', [{ method: 'POST', url: CREATE, status: 429, attempt: 1 }]),
        polls: [poll('task-A', 429, 1), poll('task-A', 200, 2)],
      },
      second: { create: created('task-B'), polls: [poll('task-B', 500, 1), poll('task-B', 200, 2)] },
      refused: { method: 'POST', url: CREATE, status: 503 },
    };
    expect(labels(evolink, observation)).toEqual([
      `POST ${CREATE} → 429 (task task-A: create attempt 1)`,
      `GET ${BASE}/v1/tasks/task-A → 429 (task task-A: poll attempt 1)`,
      `GET ${BASE}/v1/tasks/task-B → 500 (task task-B: poll attempt 1)`,
      `POST ${CREATE} → 503 (no task: create attempt 1)`,
    ]);
  });

  it('reads a task id from the URL where the spec puts it (a query parameter), with no create to go by', async () => {
    const aimanyi = await loadSpecById('aimanyi-kling-3.0-turbo');
    const url = `${BASE}/kling/tasks?task_ids=task-Q`;
    expect(labels(aimanyi, [{ method: 'GET', url, status: 429, attempt: 2 }])).toEqual([
      `GET ${url} → 429 (task task-Q: poll attempt 2)`,
    ]);
  });

  it('a check judged again names the round apart from the try: a fresh task is its own first attempt', async () => {
    const { def, ctx } = check([
      [poll('task-A', 500, 1)],
      [poll('task-B', 500, 1), poll('task-B', 500, 2)],
      [poll('task-C', 200, 1)],
    ]);
    const r = await runCheck(def, ctx);
    expect(r.status, r.message).toBe('pass');
    expect(r.transient).toEqual({
      attempts: 3,
      evidence: [
        `GET ${BASE}/v1/tasks/task-A → 500 (task task-A: poll attempt 1)`,
        `GET ${BASE}/v1/tasks/task-B → 500 (task task-B: poll attempt 1; round 2 of the check)`,
        `GET ${BASE}/v1/tasks/task-B → 500 (task task-B: poll attempt 2; round 2 of the check)`,
      ],
    });
  });
});
