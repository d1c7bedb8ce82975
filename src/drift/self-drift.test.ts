// selfDrift's steps, each alone: the documents of one provider disagreeing with themselves, found where the shipped
// specs say so (docs/drift.md) and not found once that part of a spec is taken away.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAllSpecs } from '../spec/load-spec.ts';
import type { ProviderSpec } from '../spec/model.ts';
import {
  authDrift,
  codeStatusDrift,
  competingClaims,
  defaultsOutsideSchema,
  examplesBreakingSchema,
  extraStatusWords,
  missingFromSeedErrorTable,
  proseOnlyRules,
  requiredButOptional,
  requiredWithDefault,
  selfDrift,
} from './self-drift.ts';

let specs: Map<string, ProviderSpec>;
beforeAll(async () => {
  specs = new Map((await loadAllSpecs()).map((s) => [s.id, s]));
});
const spec = (id: string) => specs.get(id)!;
const facts = (items: { fact: string; kind: string }[]) => items.map((i) => `${i.fact} ${i.kind}`);
/** a copy of a spec with some of its x-conformance replaced */
const withX = (s: ProviderSpec, x: Partial<ProviderSpec['x']>): ProviderSpec => ({ ...s, x: { ...s.x, ...x } });

describe('selfDrift, step by step', () => {
  it('is the steps in order, each item under its provider', () => {
    const s = spec('toapis-kling-3.0-turbo');
    const items = selfDrift(s);
    expect(items.every((i) => i.provider === s.id)).toBe(true);
    expect(items.map((i) => i.fact)).toEqual(
      [
        competingClaims,
        examplesBreakingSchema,
        defaultsOutsideSchema,
        requiredButOptional,
        requiredWithDefault,
        proseOnlyRules,
        missingFromSeedErrorTable,
        extraStatusWords,
      ].flatMap((step) => step(s).map((i) => i.fact)),
    );
  });

  it('competing claims: a contested default is listed with every claim and the one the mock follows', () => {
    const s = spec('toapis-kling-3.0-turbo');
    const item = competingClaims(s).find((i) => i.fact === 'default.duration')!;
    expect(item.kind).toBe('competing-claims');
    expect(item.claims!.filter((c) => c.mock)).toHaveLength(1);
    const duration = s.x.settings.duration!;
    const agreed = withX(s, {
      settings: { ...s.x.settings, duration: { ...duration, default: [duration.default[0]!] } },
    });
    expect(facts(competingClaims(agreed))).not.toContain('default.duration competing-claims');
  });

  it('auth and code-status drift: one failure answered two ways, one code under two statuses', () => {
    const kling = spec('kling-official-v3');
    const all = [...specs.values()];
    expect(all.flatMap(authDrift).length + all.flatMap(codeStatusDrift).length).toBeGreaterThan(0);
    for (const item of [...authDrift(kling), ...codeStatusDrift(kling)]) expect(item.claims!.length).toBeGreaterThan(1);
    expect(codeStatusDrift(withX(kling, { errors: {} }))).toEqual([]);
    expect(authDrift(withX(kling, { auth: { ...kling.x.auth, conditions: {} } }))).toEqual([]);
  });

  it('examples and defaults outside the schema: the documented preview breaks the other claims', () => {
    const s = spec('toapis-kling-3.0-turbo');
    expect(facts(examplesBreakingSchema(s))).toContain('example.request-preview example-breaks-schema');
    expect(examplesBreakingSchema(withX(s, { alternatives: [] }))).toEqual([]);
    expect(facts(defaultsOutsideSchema(s))).toContain('default.duration default-outside-schema');
    expect(defaultsOutsideSchema(withX(s, { settings: {} as ProviderSpec['x']['settings'] }))).toEqual([]);
  });

  it('required fields: documented as required but optional in the schema, or required with a default', () => {
    const evolink = spec('evolink-kling-v3-t2v');
    expect(facts(requiredButOptional(evolink))).toContain('required.prompt required-vs-optional');
    const schema = evolink.create.requestSchema!;
    const required = { ...evolink, create: { ...evolink.create, requestSchema: { ...schema, required: ['prompt'] } } };
    expect(facts(requiredButOptional(required))).not.toContain('required.prompt required-vs-optional');
    const withDefault = [...specs.values()].flatMap(requiredWithDefault);
    expect(withDefault.map((i) => i.fact)).toContain('required-default.model');
  });

  it('prose-only rules, extra status words and error statuses missing from the seed page', () => {
    const aimanyi = spec('aimanyi-kling-3.0-turbo');
    expect(facts(proseOnlyRules(aimanyi))).toContain('rule.prompt_or_contents prose-only-rule');
    expect(proseOnlyRules(withX(aimanyi, { rules: [] }))).toEqual([]);
    expect(facts(extraStatusWords(aimanyi))).toContain('status.queued extra-status-word');
    expect(extraStatusWords(withX(aimanyi, { lifecycle: { ...aimanyi.x.lifecycle, extraStatuses: [] } }))).toEqual([]);
    const toapis = spec('toapis-kling-3.0-turbo');
    expect(facts(missingFromSeedErrorTable(toapis))).toContain('error.402 undocumented-in-seed');
    expect(missingFromSeedErrorTable(withX(toapis, { errors: {} }))).toEqual([]);
  });
});
