// Every fact of every spec names its source: a constraint, default, error or rule that no document (or stated
// reading) backs would judge a gateway on our invention.
import { describe, expect, it } from 'vitest';
import { listSpecIds, loadSpecById } from './load-spec.ts';
import { listFacts } from './list-facts.ts';

describe('facts and their sources', () => {
  it.each(listSpecIds())(
    '%s: every constraint, default, error, rule and claim has a source and a confidence',
    async (id) => {
      const spec = await loadSpecById(id);
      const facts = listFacts(spec);
      expect(facts.length).toBeGreaterThan(20);
      expect(facts.filter((f) => !f.source).map((f) => f.fact)).toEqual([]);
      for (const f of facts) expect(['documented', 'inferred', 'observed']).toContain(f.confidence);
    },
  );

  it('what the issue named as over-read is marked inferred or gone', async () => {
    const toapis = listFacts(await loadSpecById('toapis-kling-3.0-turbo'));
    expect(toapis.find((f) => f.fact === 'request/prompt maxLength')).toBeUndefined();
    expect(
      toapis.find((f) => f.fact === 'claim.length.prompt' && (f.value as { maxLength?: number }).maxLength === 1200)!
        .confidence,
    ).toBe('inferred');
    const evolink = listFacts(await loadSpecById('evolink-kling-v3-t2v'));
    expect(evolink.find((f) => f.fact === 'request/model_params/multi_prompt/*/index minimum')!.confidence).toBe(
      'inferred',
    );
    for (const status of ['400', '401', '429', '500'])
      expect(evolink.find((f) => f.fact === `retry.${status}`)!.confidence, status).toBe('inferred');
    expect(evolink.find((f) => f.fact === 'error.404.code')!.confidence).toBe('inferred');
    const seed3 = await loadSpecById('aimanyi-kling-3.0-turbo');
    expect(seed3.x.idempotency!.dedupe).toBe(false);
    expect(listFacts(seed3).find((f) => f.fact === 'callbacks')!.confidence).toBe('inferred');
    // kling-v3-fast's own API reference page documents reference_images (public URLs only) and watermark (false)
    const fastSpec = await loadSpecById('toapis-kling-v3-fast');
    const fast = listFacts(fastSpec);
    const fastPage = 'api-reference/videos/kling-v3-fast/generation';
    expect(fastSpec.x.sources.toapisFast!.doc).toContain(fastPage);
    for (const fact of ['request/watermark type', 'request/reference_images/* pattern', 'default.watermark']) {
      const found = fast.find((f) => f.fact === fact)!;
      expect(found, fact).toBeDefined();
      expect(found.confidence, fact).toBe('documented');
      expect(found.source!.ref, fact).toBe('toapisFast');
    }
    expect(fast.find((f) => f.fact === 'default.watermark')!.value).toBe(false);
    expect(fast.find((f) => f.fact === 'first-frame')!.value).toBe('accept');
  });
});
