// `history`'s billable-tasks column is each provider's own count (the ledger's tasks per provider), never the run's
// total repeated for every provider of the run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SpendLedger } from '../core/spend-ledger.ts';
import { spendOf } from '../run/run-conformance.ts';
import { buildResults } from './build-results.ts';
import { toHistoryLine } from './history-line.ts';
import { renderHistoryMarkdown } from './history-markdown.ts';
import { historyStats } from './history-stats.ts';

const E = 'evolink-kling-v3-t2v';
const F = 'fal-kling-v3-standard-t2v';

const dir = mkdtempSync(join(tmpdir(), 'kc-billable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const passed = (provider: string) =>
  ({ id: 'auth.missing_key', provider, title: 't', family: 'auth', paid: false, durationMs: 1 }) as const;

/** A night's ledger: EvoLink made `e` tasks, fal `f`. */
function nightWith(e: number, f: number, startedAt: string) {
  const ledger = new SpendLedger(join(dir, `${startedAt.slice(0, 10)}.jsonl`));
  const task = (provider: string, i: number) =>
    ledger.append({ kind: 'task', id: `${provider}-${i}`, provider, taskId: `t${i}`, amount: 0.1, currency: 'USD' });
  for (let i = 0; i < e; i++) task(E, i);
  for (let i = 0; i < f; i++) task(F, i);
  const run = buildResults(
    {
      id: `run-${startedAt}`,
      target: 'live',
      providers: [
        { id: E, baseUrl: 'https://e.example' },
        { id: F, baseUrl: 'https://f.example' },
      ],
      seed: 1,
      startedAt,
      endedAt: startedAt,
      allowPaid: true,
      client: 'reference',
      spend: spendOf(ledger, undefined),
    },
    [E, F].map((p) => ({ ...passed(p), status: 'pass' as const, message: 'ok' })),
    '0.0.0',
  );
  return toHistoryLine(run, 'r');
}

describe('billable tasks per provider', () => {
  it('each provider gets its own count in results.json, the history line and `history`', () => {
    const a = nightWith(2, 2, '2026-11-01T03:00:00.000Z');
    const b = nightWith(3, 2, '2026-11-02T03:00:00.000Z');
    expect(a.billableTasks).toBe(4);
    expect(b.billableByProvider).toEqual({ [E]: 3, [F]: 2 });
    const stats = historyStats([a, b], Date.parse('2026-11-03T00:00:00Z'));
    const own = (p: string) => stats.providers.find((x) => x.provider === p)!.runs.map((r) => r.billableTasks);
    expect(own(E)).toEqual([2, 3]);
    expect(own(F)).toEqual([2, 2]);
    const md = renderHistoryMarkdown(stats);
    expect(md).toMatch(new RegExp(`\\| ${E} .*\\| 2 3 \\|`));
    expect(md).toMatch(new RegExp(`\\| ${F} .*\\| 2 2 \\|`));
  });

  it("an older line with only the run's total shows it for no provider of a run of several", () => {
    const old = { ...nightWith(2, 2, '2026-11-01T03:00:00.000Z'), billableByProvider: undefined };
    const stats = historyStats([old], Date.parse('2026-11-03T00:00:00Z'));
    expect(stats.providers.map((p) => p.runs[0]!.billableTasks)).toEqual([undefined, undefined]);
  });
});
