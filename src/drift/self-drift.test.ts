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
    const apiinone = spec('apiinone-kling-3');
    expect(facts(requiredButOptional(apiinone))).toContain('required.prompt required-vs-optional');
    const schema = apiinone.create.requestSchema!;
    const required = {
      ...apiinone,
      create: { ...apiinone.create, requestSchema: { ...schema, required: ['prompt'] } },
    };
    expect(facts(requiredButOptional(required))).not.toContain('required.prompt required-vs-optional');
    // EvoLink's model ("Required" with a default) and prompt ("Required" yet "can be empty") without their
    // competing claims: the structural items appear
    const evolink = withX(spec('evolink-kling-v3-t2v'), { alternatives: [] });
    expect(facts(requiredWithDefault(evolink))).toContain('required-default.model required-vs-optional');
    expect(facts(requiredButOptional(evolink))).toContain('required.prompt required-vs-optional');
  });

  it("ToAPIs' kling-v3-fast API reference (3–15 s, 720p/1080p, 1:1) against seed 001's table: competing claims", () => {
    const fast = spec('toapis-kling-v3-fast');
    const items = competingClaims(fast);
    for (const fact of ['range.duration', 'enum.resolution', 'enum.aspect_ratio', 'default.resolution']) {
      const item = items.find((i) => i.fact === fact)!;
      expect(item.claims!.map((c) => c.source).join('\n'), fact).toMatch(/kling-v3-fast\/generation[\s\S]*seeds\/001/);
      expect(item.claims!.find((c) => c.mock)!.source, fact).toContain('kling-v3-fast/generation');
    }
    expect(facts(competingClaims(withX(fast, { alternatives: [] })))).not.toContain('enum.resolution competing-claims');
  });

  it('one item per conflict: a field whose required-ness is a competing claim is not reported again', () => {
    const evolink = spec('evolink-kling-v3-t2v');
    const items = selfDrift(evolink).filter((i) => /^required(-default)?\.(model|prompt)$/.test(i.fact));
    expect(facts(items)).toEqual(['required.model competing-claims', 'required.prompt competing-claims']);
  });

  it('a default outside a schema is one item per value, naming every document that gives it', () => {
    const duration = defaultsOutsideSchema(spec('toapis-kling-v3-fast')).filter((i) => i.fact === 'default.duration');
    expect(duration).toHaveLength(1);
    expect(duration[0]!.message).toMatch(/default duration 5 \(seeds\/001.*; https:\/\/docs\.toapis\.com.*\[6,10\]/);
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
