// casesFor's steps, each alone on one constraint: what each generates (rule, outcome, the value it sets), so a change
// to one kind of case is seen here and not only in the labelled totals of generate-cases.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAllSpecs } from '../spec/load-spec.ts';
import type { ProviderSpec } from '../spec/model.ts';
import {
  anyOfCases,
  callbackCases,
  casesFor,
  constCases,
  enumCases,
  lengthCases,
  normalisationCases,
  ruleCases,
  typeCases,
  type Draft,
  type Make,
} from './generate-cases.ts';

let specs: Map<string, ProviderSpec>;
beforeAll(async () => {
  specs = new Map((await loadAllSpecs()).map((s) => [s.id, s]));
});
/** a case maker over the body { f: 'x' } */
const make: Make = (rule, variant, outcome, note, edit) => {
  const body: Record<string, unknown> = { f: 'x' };
  edit(body);
  return { id: `f.${rule}${variant ? `.${variant}` : ''}`, rule, field: '/f', note, body, outcome };
};
const set = (value: unknown) => (b: Record<string, unknown>) => void (b.f = value);
const summary = (drafts: Draft[]) => drafts.map((d) => `${d.rule} ${d.outcome} ${JSON.stringify(d.body.f)}`);

describe('casesFor, step by step', () => {
  it('enum: every documented value accepted, near-misses of the strings rejected', () => {
    const drafts = enumCases(['16:9', 5], make, set);
    expect(summary(drafts).slice(0, 2)).toEqual(['enum accept "16:9"', 'enum accept 5']);
    const misses = drafts.filter((d) => d.rule === 'enum.near-miss');
    expect(misses.length).toBeGreaterThan(0);
    expect(misses.every((d) => d.outcome === 'reject' && d.body.f !== '16:9')).toBe(true);
  });

  it('const: the constant accepted; the wrong values its description names rejected', () => {
    const drafts = constCases({ const: 'std', description: 'not "pro"' }, make, set);
    expect(summary(drafts).slice(0, 2)).toEqual(['const accept "std"', 'const.violation reject "pro"']);
  });

  it('length: at the limit accepted, one over rejected, in each kind of character', () => {
    const max = lengthCases({ field: '/f', keyword: 'maxLength', schema: { maxLength: 3 } }, make, set);
    const lengths = max.map((d) => `${d.rule} ${d.outcome} ${[...(d.body.f as string)].length}`);
    expect(new Set(lengths)).toEqual(new Set(['maxLength accept 3', 'maxLength+1 reject 4']));
    expect(max.length).toBeGreaterThan(2);
    const min = lengthCases({ field: '/f', keyword: 'minLength', schema: { minLength: 2 } }, make, set);
    expect(summary(min)).toEqual(['minLength accept "xx"', 'minLength-1 reject "x"']);
  });

  it('type: null, another type, a fraction for an integer, a numeric string for a number', () => {
    const rules = typeCases('/f', { type: 'integer', minimum: 1 }, make).map((d) => `${d.rule} ${d.outcome}`);
    expect(rules).toEqual(
      expect.arrayContaining(['type.null reject', 'type.non-integer reject', 'type.numeric-string reject']),
    );
    expect(typeCases('/f', { type: ['string', 'null'] }, make).map((d) => d.rule)).not.toContain('type.null');
  });

  it('anyOf: none of the alternatives rejected, all of them accepted (precedence decides)', () => {
    const spec = specs.get('evolink-kling-v3-t2v')!;
    const drafts = anyOfCases(spec, { field: '', keyword: 'anyOf', schema: { anyOf: [{ required: ['f'] }] } }, make);
    expect(drafts.map((d) => `${d.rule} ${d.outcome} ${'f' in d.body}`)).toEqual([
      'anyOf.none reject false',
      'anyOf.all accept true',
    ]);
  });

  it('a constraint on a field no example can carry gives no case; required and minimum give theirs', () => {
    const spec = specs.get('evolink-kling-v3-t2v')!;
    expect(casesFor(spec, { field: '/kc_nowhere/deeper', keyword: 'enum', schema: { enum: [1] } })).toEqual([]);
    const min = casesFor(spec, { field: '/duration', keyword: 'minimum', schema: { minimum: 3 } });
    expect(min.map((d) => `${d.rule} ${d.outcome} ${JSON.stringify(d.body.duration)}`)).toEqual([
      'minimum accept 3',
      'minimum-1 reject 2',
    ]);
  });

  it('callbacks, normalisation and prose rules come from x-conformance, not the schema', () => {
    const all = [...specs.values()];
    const callbacks = all.flatMap(callbackCases);
    expect(callbacks.some((d) => d.rule === 'callback' && d.outcome === 'accept')).toBe(true);
    expect(callbacks.some((d) => d.rule === 'callback.forbidden' && d.outcome === 'reject')).toBe(true);
    const spec = all.find((s) => s.x.normalise?.length)!;
    expect(normalisationCases(spec).map((d) => `${d.rule} ${d.outcome}`)).toEqual(['normalise accept']);
    expect(normalisationCases({ ...spec, x: { ...spec.x, normalise: [] } })).toEqual([]);
    const sums = all.flatMap(ruleCases).filter((d) => d.rule === 'sum-equals');
    expect(sums.length).toBeGreaterThan(0);
    expect(sums.every((d) => d.outcome === 'reject')).toBe(true);
  });
});
