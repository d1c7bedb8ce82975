// A price a document quotes for a whole request (pricing.quotes) is data a check reads: the spec's own rates must
// give that price for the same request, so a rate table and the quote that illustrates it cannot drift apart.
import { describe, expect, it } from 'vitest';
import { setAt } from '../core/json-pointer.ts';
import { fieldSchema } from './field-schema.ts';
import { loadAllSpecs } from './load-spec.ts';
import { estimatePrice } from './price.ts';
import { resolveSettings } from './resolve-settings.ts';

describe('documented price quotes', () => {
  it('every quote equals the price the spec computes for the same request', async () => {
    const quoted = (await loadAllSpecs()).flatMap((spec) => (spec.x.pricing.quotes ?? []).map((q) => ({ spec, q })));
    expect(quoted.length).toBeGreaterThan(0);
    for (const { spec, q } of quoted) {
      const body: Record<string, unknown> = {};
      const durationField = spec.x.settings.duration.field;
      const seconds = q.durationSeconds;
      setAt(body, durationField, fieldSchema(spec, durationField)?.type === 'string' ? String(seconds) : seconds);
      for (const [name, value] of Object.entries(q.settings))
        setAt(body, spec.x.settings[name]?.field ?? `/${name}`, value);
      const estimate = estimatePrice(spec, resolveSettings(spec, body));
      expect(estimate.amount, `${spec.id} ${JSON.stringify(q.settings)} ${seconds} s`).toBe(q.amount);
    }
  });
});
