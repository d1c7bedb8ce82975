// A document that contradicts itself (EvoLink's `model` is "Required" yet has a default; `prompt` is "Required" yet
// "can be empty") is two competing claims in the spec: the boundary cases are judged against each, so a gateway
// following either reading passes, naming the conflict, and one following neither still fails.
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import { checksFor } from '../src/checks/registry.ts';
import { withBody, type Deviation } from './support/deviating-mock.ts';
import { liveContext, runOneCheck, startLiveGateway } from './support/live-gateway.ts';

/** A gateway that changes a create body before the faithful mock judges it. */
const onCreate = (edit: (b: Record<string, unknown>) => void): Deviation => ({
  request: (req, x) => (x.operation === 'create' ? withBody(req, (b) => (edit(b), b)) : req),
});
const customize = (b: Record<string, unknown>) =>
  (b.model_params as { shot_type?: string } | undefined)?.shot_type === 'customize';

const READINGS: [string, Deviation, string][] = [
  // "Required", read literally on both fields: a body without prompt is refused in every mode (the mock refuses a
  // prompt of the wrong type with the documented 400)
  ['"Required" (both fields)', onCreate((b) => void (b.prompt === undefined && (b.prompt = 12345))), 'required.prompt'],
  // "Default: kling-v3-text-to-video" fills in a missing model; "can be empty": prompt may be left out in customize
  [
    '"Default" and "can be empty"',
    onCreate((b) => void (b.model === undefined && (b.model = 'kling-v3-text-to-video'))),
    'required.model',
  ],
];

async function boundaryResults(deviation: Deviation): Promise<CheckResult[]> {
  const gateway = await startLiveGateway('sk-readings-key', deviation);
  const ctx = liveContext(gateway);
  const ids = checksFor(gateway.spec)
    .filter((c) => c.family === 'boundary')
    .map((c) => c.id);
  return Promise.all(ids.map((id) => runOneCheck(ctx, id)));
}

describe("EvoLink's self-contradicting required fields, judged against both readings", () => {
  it.each(READINGS)(
    'a gateway following the %s reading passes every boundary check, naming the conflict',
    async (_name, deviation, alternative) => {
      const results = await boundaryResults(deviation);
      expect(results.filter((r) => r.status !== 'pass').map((r) => `${r.id} ${r.status}: ${r.message}`)).toEqual([]);
      const followed = results.flatMap((r) => r.findings ?? []).filter((f) => f.kind === 'claim-followed');
      expect(followed.map((f) => f.matches!.join()).join('\n')).toContain(`${alternative} = `);
      expect(followed.map((f) => f.message).join('\n')).toContain('the documents contradict each other');
    },
    60_000,
  );

  it('a gateway following neither reading fails: a prompt left out is accepted outside customize mode', async () => {
    const results = await boundaryResults(
      onCreate((b) => void (b.prompt === undefined && !customize(b) && (b.prompt = 'filled in by the gateway'))),
    );
    const conditional = results.find((r) => r.id === 'boundary.conditional.else')!;
    expect(conditional.status, conditional.message).toBe('fail');
    expect(conditional.message).toContain('without.prompt');
  }, 60_000);
});
