// "A test must be able to fail", part 3: the checks that keep a live gateway from fooling the run, one failing pair
// per test (a failure does not hide the rest): each passes on the faithful mock and fails when its behaviour breaks.
import { describe, expect, it } from 'vitest';
import { setAt } from '../src/core/json-pointer.ts';
import { authHeader } from '../src/client/auth-header.ts';
import { withBody, type Deviation } from './support/deviating-mock.ts';
import { noJitter } from './support/live-breakers.ts';
import { breaking, KEY, run, specs, type Breaker } from './support/prove-checks.ts';

/** a gateway that never requires shot_type in multi-shot mode: it fills one in */
const shotTypeOptional: Deviation = {
  request: (req, x) =>
    x.operation === 'create'
      ? withBody(req, (b) => {
          const params = b.model_params as Record<string, unknown> | undefined;
          if (params?.multi_shot === true && params.shot_type === undefined)
            setAt(b, '/model_params/shot_type', 'customize');
          return b;
        })
      : req,
};
/** a gateway that lets any key (or a key without the documented prefix) through */
const anyKey = async (provider: string): Promise<Breaker> => {
  const spec = specs.find((s) => s.id === provider)!;
  const auth = await authHeader(spec, { key: KEY });
  return {
    deviation: {
      request: (req) => {
        const headers = new Headers(req.headers);
        for (const [k, v] of Object.entries(auth)) headers.set(k, v);
        return new Request(req.url, { method: req.method, headers, body: req.body, duplex: 'half' } as RequestInit);
      },
    },
  };
};

// [provider, check, how it is broken, must it fail without --strict (documented) or only under it (inferred)]
const PAIRS: [string, string, () => Promise<Breaker>, 'fail' | 'strict-fail'][] = [
  [
    'evolink-kling-v3-t2v',
    'auth.poll_missing_key',
    () => first('evolink-kling-v3-t2v', 'auth.poll_missing_key'),
    'fail',
  ],
  ['evolink-kling-v3-t2v', 'auth.invalid_key', () => anyKey('evolink-kling-v3-t2v'), 'fail'],
  ['evolink-kling-v3-t2v', 'auth.malformed', () => anyKey('evolink-kling-v3-t2v'), 'fail'],
  [
    'evolink-kling-v3-t2v',
    'lifecycle.poll_task_id',
    () => first('evolink-kling-v3-t2v', 'lifecycle.poll_task_id'),
    'fail',
  ],
  [
    'evolink-kling-v3-t2v',
    'lifecycle.malformed_task_id',
    () => first('evolink-kling-v3-t2v', 'lifecycle.malformed_task_id'),
    'fail',
  ],
  [
    'evolink-kling-v3-t2v',
    'lifecycle.result_content_type',
    () => first('evolink-kling-v3-t2v', 'lifecycle.result_content_type'),
    'strict-fail',
  ],
  ['evolink-kling-v3-t2v', 'boundary.conditional.then', async () => ({ deviation: shotTypeOptional }), 'fail'],
  [
    'evolink-kling-v3-t2v',
    'defaults.explicit_settings',
    () => first('evolink-kling-v3-t2v', 'defaults.explicit_settings'),
    'fail',
  ],
  [
    'evolink-kling-v3-t2v',
    'lifecycle.link_refetch',
    () => first('evolink-kling-v3-t2v', 'lifecycle.link_refetch'),
    'fail',
  ],
  ['toapis-kling-3.0-turbo', 'retry.429.backoff', async () => noJitter, 'fail'],
  ['evolink-kling-v3-t2v', 'retry.429.backoff', async () => noJitter, 'strict-fail'],
];

async function first(provider: string, id: string): Promise<Breaker> {
  return (await breaking(specs.find((s) => s.id === provider)!, id))[0]!;
}

describe('live checks pass on the faithful mock and fail when their behaviour breaks', () => {
  it.each(PAIRS)(
    '%s %s',
    async (provider, id, breaker, expected) => {
      const spec = specs.find((s) => s.id === provider)!;
      const faithful = await run(spec, id);
      expect(faithful.status, faithful.message).toBe('pass');
      const broken = await breaker();
      const strict = await run(spec, id, broken, true);
      expect(strict.status, strict.message).toBe('fail');
      const lenient = await run(spec, id, broken);
      expect(lenient.status, lenient.message).toBe(expected === 'fail' ? 'fail' : 'warn');
    },
    60_000,
  );
});
