// "A test must be able to fail", part 3: what the checks that keep a live gateway from fooling the run give WITHOUT
// --strict when broken — a fail where the broken behaviour is documented, only a warning where it is our reading —
// one pair per test. The breakers are the ones each check declares (src/checks/breakers.ts); the general proof
// (checks-can-fail.test.ts, -2) accepts either verdict, these pairs pin the one the documents give.
import { describe, expect, it } from 'vitest';
import { checksFor } from '../src/checks/registry.ts';
import { declaredBreakers, run, specs } from './support/prove-checks.ts';

// [provider, check, the declared departure that breaks it, its verdict without --strict: fail or (inferred) warn]
const PINNED: [string, string, string, 'fail' | 'strict-fail'][] = [
  ['evolink-kling-v3-t2v', 'auth.poll_missing_key', 'adds-credential', 'fail'],
  ['evolink-kling-v3-t2v', 'auth.invalid_key', 'adds-credential', 'fail'],
  ['evolink-kling-v3-t2v', 'auth.malformed', 'adds-credential', 'fail'],
  ['evolink-kling-v3-t2v', 'lifecycle.poll_task_id', 'answers-other-task', 'fail'],
  ['evolink-kling-v3-t2v', 'lifecycle.malformed_task_id', 'restatus', 'fail'],
  ['evolink-kling-v3-t2v', 'lifecycle.result_content_type', 'video-as-html', 'strict-fail'],
  // a gateway that never requires the field the condition requires: it fills one in
  ['evolink-kling-v3-t2v', 'boundary.conditional.then', 'sets-fields', 'fail'],
  ['evolink-kling-v3-t2v', 'defaults.explicit_settings', 'drops-fields', 'fail'],
  // a result link that expires early: re-fetched late in the run, before its documented lifetime, it is dead
  ['evolink-kling-v3-t2v', 'lifecycle.link_refetch', 'skips-clock', 'fail'],
  ['toapis-kling-3.0-turbo', 'retry.429.backoff', 'no-jitter-adapter', 'fail'],
  ['evolink-kling-v3-t2v', 'retry.429.backoff', 'no-jitter-adapter', 'strict-fail'],
];

describe('live checks pass on the faithful mock and fail when their behaviour breaks', () => {
  it.each(PINNED)(
    '%s %s (%s)',
    async (provider, id, departure, expected) => {
      const spec = specs.find((s) => s.id === provider)!;
      const def = checksFor(spec).find((c) => c.id === id)!;
      const faithful = await run(spec, id);
      expect(faithful.status, faithful.message).toBe('pass');
      const broken = (await declaredBreakers(spec, def)).find((b) => b.label.split(' ')[1] === departure);
      expect(broken, `${id} declares the departure ${departure}`).toBeDefined();
      const strict = await run(spec, id, broken, true);
      expect(strict.status, strict.message).toBe('fail');
      const lenient = await run(spec, id, broken);
      expect(lenient.status, lenient.message).toBe(expected === 'fail' ? 'fail' : 'warn');
    },
    60_000,
  );
});
