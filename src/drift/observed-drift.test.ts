import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../checks/types.ts';
import type { RunResults } from '../report/build-results.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { observedDrift, renderUnjudged, unjudgedByNoise } from './observed-drift.ts';

const P = 'evolink-kling-v3-t2v';
const specs = new Map([[P, { id: P } as ProviderSpec]]);
const result = (r: Partial<CheckResult>): CheckResult =>
  ({ provider: P, title: 't', family: 'shape', paid: false, durationMs: 0, message: 'm', ...r }) as CheckResult;
const run = (...results: CheckResult[]) => ({ results }) as RunResults;

describe('drift --results: what was judged, and what was not', () => {
  it('an error with no drift among its findings (an upstream never reached, a body never observed) is unjudged', () => {
    const runs = [
      run(
        result({
          id: 'proxy.upstream',
          status: 'error',
          message: 'the upstream did not answer: connect ECONNREFUSED',
          findings: [{ kind: 'evidence', message: 'the upstream did not answer: connect ECONNREFUSED' }],
        }),
        result({ id: 'shape.poll.queued', status: 'error', message: 'no poll body observed' }),
        result({
          id: 'shape.create',
          status: 'error',
          message: 'noise',
          findings: [{ kind: 'transient', message: '503' }],
        }),
      ),
    ];
    expect(observedDrift(runs, specs)).toEqual([]);
    const unjudged = unjudgedByNoise(runs);
    expect(unjudged.map((u) => [u.check, u.cause])).toEqual([
      ['proxy.upstream', 'error'],
      ['shape.poll.queued', 'error'],
      ['shape.create', 'noise'],
    ]);
    const md = renderUnjudged(unjudged);
    expect(md).toMatch(/## Could not be judged: gateway noise \(1; not drift\)[\s\S]*shape\.create: noise/);
    expect(md).toMatch(/## Could not be judged: no evidence \(2; not drift\)[\s\S]*proxy\.upstream: the upstream/);
  });

  it('an error carrying drift is drift; a shape fact keeps its check id (never shape.shape.…)', () => {
    const runs = [
      run(
        result({
          id: 'shape.create',
          status: 'error',
          findings: [{ kind: 'shape', message: 'the body is not JSON', source: 'EvoLink docs', requestIds: ['r-1'] }],
        }),
        result({ id: 'shape.error.400', status: 'fail', findings: [{ kind: 'shape', message: 'x' }] }),
      ),
    ];
    expect(unjudgedByNoise(runs)).toEqual([]);
    expect(observedDrift(runs, specs)).toEqual([
      expect.objectContaining({ fact: 'error.400.shape' }),
      expect.objectContaining({ fact: 'shape.create', requestIds: ['r-1'], source: 'EvoLink docs' }),
    ]);
  });
});
