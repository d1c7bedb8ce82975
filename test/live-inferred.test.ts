// Departures from our own reading only warn: a faithful gateway that answers 422 where only our reading gives 400,
// 403 for an inferred 401 (whose body lacks the inferred `message`), and 400 for an unknown task (404 is our reading)
// gets `warn`, never `fail` — and `fail` under --strict.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import { editJson } from './support/deviating-mock.ts';
import { liveContext, runEveryCheck, startLiveGateway } from './support/live-gateway.ts';

const run: Record<'lenient' | 'strict', CheckResult[]> = { lenient: [], strict: [] };

beforeAll(async () => {
  const gateway = await startLiveGateway('sk-inferred-key', {
    response: (res, _req, x) => {
      if (x.operation === 'create' && res.status === 400) return editJson(res, (b) => b, 422);
      if (x.operation === 'poll' && res.status === 404) return editJson(res, (b) => b, 400);
      if (res.status === 401)
        return editJson(res, (b) => ({ error: { code: (b as { error: { code: string } }).error.code } }), 403);
      return res;
    },
  });
  for (const mode of ['lenient', 'strict'] as const)
    run[mode] = await runEveryCheck(liveContext(gateway, { strict: mode === 'strict' }));
}, 240_000);

describe('a faithful gateway departing only from inferred expectations', () => {
  it('warns and never fails without --strict; every finding says it is our reading', () => {
    expect(run.lenient.filter((r) => r.status === 'fail').map((r) => `${r.id}: ${r.message}`)).toEqual([]);
    const warned = run.lenient.filter((r) => r.status === 'warn');
    expect(warned.map((r) => r.id)).toEqual(
      expect.arrayContaining([
        'auth.missing_key',
        'lifecycle.unknown_task',
        'shape.error.401',
        'reject.prompt_missing',
      ]),
    );
    for (const r of warned)
      for (const f of (r.findings ?? []).filter((x) => !['claim-followed', 'transient'].includes(x.kind)))
        expect(f.inferred, `${r.id}: ${f.message}`).toBe(true);
  });

  it('fails the same checks under --strict', () => {
    const warned = run.lenient.filter((r) => r.status === 'warn').map((r) => r.id);
    const strictFailed = run.strict.filter((r) => r.status === 'fail').map((r) => r.id);
    expect(strictFailed).toEqual(expect.arrayContaining(warned));
  });
});
