import type { Finding } from '../../checks/types.ts';
import { jitterDocumented } from '../../spec/jitter.ts';
import { retryAfterMs, type Call } from '../traffic-model.ts';
import { adviceFor, judged, skip, sourceOf, type TrafficCheck } from '../traffic-check.ts';
import { retryRuns, waitBefore } from './retry-checks.ts';

/**
 * Two waits closer than this are the same wait: a fixed sleep of a client on a loaded machine lands up to a few tens
 * of milliseconds late (scheduling), more than JITTER_TOLERANCE_MS allows for a single deadline.
 */
export const JITTER_TOLERANCE_MS = 100;

/** One client's waits after equal conditions (`where`: `<operation> retry <n>`), in the order it took them (ms). */
interface EqualWaits {
  client: string;
  where: string;
  waits: number[];
}

/**
 * The waits after equal conditions: a 429 without Retry-After, of the same operation, at the same attempt of its run,
 * of the same client (one client's jitter is judged against its own waits only).
 */
function equalWaits(runs: Call[][], spec: Parameters<typeof retryAfterMs>[0]): EqualWaits[] {
  const groups = new Map<string, EqualWaits>();
  for (const run of runs)
    run.slice(1).forEach((next, k) => {
      const prev = run[k]!;
      if (prev.status !== 429 || retryAfterMs(spec, prev) !== undefined) return;
      const where = `${prev.operation} retry ${k + 1}`;
      const key = JSON.stringify([prev.client, where]);
      const group = groups.get(key) ?? groups.set(key, { client: prev.client, where, waits: [] }).get(key)!;
      group.waits.push(Math.round(waitBefore(prev, next)));
    });
  return [...groups.values()];
}

export const backoffJitter: TrafficCheck = {
  id: 'traffic.backoff_jitter',
  title:
    'where the documents prescribe jitter, two backoff waits after equal 429s (no Retry-After, same operation and ' +
    `attempt) differ by more than ${JITTER_TOLERANCE_MS} ms (real timestamps)`,
  basis(spec) {
    const { advice } = adviceFor(spec, 429);
    return jitterDocumented(spec, advice)
      ? { confidence: 'documented', source: advice!.source }
      : { confidence: 'not required', source: advice?.source };
  },
  evaluate(view) {
    const spec = view.spec;
    const { advice } = adviceFor(spec, 429);
    if (!advice?.jitter) return skip('the documents prescribe no jitter after a 429: not required');
    if (!jitterDocumented(spec, advice))
      return skip(`jitter after a 429 is our reading of "${advice.source.part}", not the documents': not required`);
    const groups = equalWaits(retryRuns(view), spec).filter((g) => g.waits.length > 1);
    if (groups.length === 0)
      return skip(
        'the client never retried two 429s without Retry-After under equal conditions: ' +
          'run the mock with --faults documented',
      );
    const findings = groups.flatMap(({ client, where, waits }): Finding[] =>
      Math.max(...waits) - Math.min(...waits) > JITTER_TOLERANCE_MS
        ? []
        : [
            {
              kind: 'retry',
              client,
              message:
                `the waits before ${where} after a 429 without Retry-After were ${waits.join(' / ')} ms: within ` +
                `${JITTER_TOLERANCE_MS} ms of each other, no jitter, though the documents prescribe it`,
              expected: `waits that differ by more than ${JITTER_TOLERANCE_MS} ms`,
              observed: waits,
              inferred: false,
            },
          ],
    );
    const several = new Set(groups.map((g) => g.client)).size > 1;
    const label = (g: EqualWaits) => (several ? `${g.client} ${g.where}` : g.where);
    const shown = groups.map((g) => `${label(g)}: ${g.waits.join(' / ')} ms`).join('; ');
    return judged(findings, `jittered waits after equal 429s (${shown})`, sourceOf(spec, advice.source), {
      waitsMs: Object.fromEntries(groups.map((g) => [label(g), g.waits])),
    });
  },
};
