import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAllSpecs, loadSpec } from '../spec/load-spec.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { DIFF_RULES } from './diff-rules.ts';
import { diffSpecs, reachesLevel } from './diff-specs.ts';
import { renderDiff } from './render-drift.ts';
import { selfDrift } from './self-drift.ts';
import { applyPatch, type PatchOp } from '../../test/support/spec-patch.ts';
import { compareProviders } from './compare.ts';
import { tempFolder } from '../../test/support/temp-folder.ts';

type Op = PatchOp;

let specs: Map<string, ProviderSpec>;
beforeAll(async () => {
  specs = new Map((await loadAllSpecs()).map((s) => [s.id, s]));
});

async function version(base: ProviderSpec, ops: Op[]): Promise<ProviderSpec> {
  const dir = join(tempFolder('kc-diff-'), 'v');
  mkdirSync(dir);
  writeFileSync(join(dir, 'openapi.yaml'), stringify(applyPatch(base.raw, ops)));
  return loadSpec(dir, { requireFolderName: false });
}

describe('diff rules: each fires on its before/after fixture and not on a near miss', () => {
  const fixtures = readdirSync('fixtures/diff').map(
    (f) =>
      JSON.parse(readFileSync(`fixtures/diff/${f}`, 'utf8')) as {
        rule: string;
        base: string;
        fires: Op[];
        doesNotFire: Op[];
      },
  );

  it('has a fixture for every rule in the table', () => {
    expect(fixtures.map((f) => f.rule).sort()).toEqual(DIFF_RULES.map((r) => r.id).sort());
  });

  for (const rule of DIFF_RULES) {
    it(`${rule.severity} ${rule.id}`, async () => {
      const fixture = fixtures.find((f) => f.rule === rule.id)!;
      const base = specs.get(fixture.base)!;
      const fired = diffSpecs(base, await version(base, fixture.fires), { old: 'a', new: 'b' });
      const change = fired.changes.find((c) => c.rule === rule.id);
      expect(change, `${rule.id} should fire; got ${fired.changes.map((c) => c.rule).join(', ')}`).toBeDefined();
      expect(change!.severity).toBe(rule.severity);
      expect(change!.pointer).toBeTypeOf('string');
      const quiet = diffSpecs(base, await version(base, fixture.doesNotFire), { old: 'a', new: 'b' });
      expect(quiet.changes.map((c) => c.rule)).not.toContain(rule.id);
    });
  }

  it('names a removed field that looks renamed, and --fail-on decides the exit', async () => {
    const base = specs.get('evolink-kling-v3-t2v')!;
    const renamed = await version(base, [
      {
        op: 'move',
        from: '/components/schemas/CreateRequest/properties/negative_prompt',
        path: '/components/schemas/CreateRequest/properties/negative',
      },
    ]);
    const d = diffSpecs(base, renamed, { old: 'a', new: 'b' });
    expect(d.changes.find((c) => c.rule === 'request-field-removed')!.message).toContain('renamed to /negative?');
    expect(reachesLevel(d, 'ERR')).toBe(true);
    const widened = diffSpecs(
      base,
      await version(base, [
        { op: 'replace', path: '/components/schemas/CreateRequest/properties/duration/maximum', value: 20 },
      ]),
      { old: 'a', new: 'b' },
    );
    expect(reachesLevel(widened, 'ERR')).toBe(false);
    expect(reachesLevel(widened, 'INFO')).toBe(true);
    expect(diffSpecs(base, base, { old: 'a', new: 'a' }).changes).toEqual([]);
  });
});

describe('diff: every row says what changed', () => {
  it('a reworded text and a new source: each its own row, with its pointer, before and after', async () => {
    const base = specs.get('evolink-kling-v3-t2v')!;
    const source = { ref: 'seed002', part: 'a reworded quote' };
    const d = diffSpecs(
      base,
      await version(base, [
        { op: 'replace', path: '/info/description', value: 'A reworded description.' },
        { op: 'replace', path: '/paths/~1v1~1videos~1generations/post/x-source', value: source },
      ]),
      { old: 'a', new: 'b' },
    );
    const raw = base.raw as { info: { description: string }; paths: Record<string, { post: Record<string, unknown> }> };
    expect(d.changes).toEqual([
      {
        rule: 'docs-changed',
        severity: 'INFO',
        pointer: '/info/description',
        message: 'description changed',
        old: raw.info.description,
        new: 'A reworded description.',
      },
      {
        rule: 'docs-changed',
        severity: 'INFO',
        pointer: '/paths/~1v1~1videos~1generations/post/x-source',
        message: raw.paths['/v1/videos/generations']!.post['x-source'] ? 'source changed' : 'source added',
        ...(raw.paths['/v1/videos/generations']!.post['x-source']
          ? { old: raw.paths['/v1/videos/generations']!.post['x-source'] }
          : {}),
        new: source,
      },
    ]);
    const table = renderDiff(d)
      .split('\n')
      .filter((l) => l.startsWith('| INFO'));
    expect(table).toHaveLength(2);
    expect(table[0]).toContain('`"A reworded description."`');
  });

  it('a change no rule compares (a statement reworded) is listed with its pointer, never "No changes."', async () => {
    const base = specs.get('kling-official-v3')!;
    const d = diffSpecs(
      base,
      await version(base, [{ op: 'replace', path: '/x-conformance/statements/0/text', value: 'Reworded.' }]),
      { old: 'a', new: 'b' },
    );
    expect(d.changes).toEqual([
      expect.objectContaining({
        rule: 'other-changed',
        pointer: '/x-conformance/statements/0/text',
        message: 'value changed — the document changed, but no fact a diff rule compares did',
        new: 'Reworded.',
      }),
    ]);
    expect(renderDiff(d)).not.toContain('No changes.');
  });

  it('a structure change with no reworded text is no docs-changed row', async () => {
    const base = specs.get('evolink-kling-v3-t2v')!;
    const statements = (base.raw['x-conformance'] as { statements: { text: string }[] }).statements;
    const added = { ...statements[0]!, text: 'A new statement.' };
    const at = `/x-conformance/statements/${statements.length}`;
    const d = diffSpecs(base, await version(base, [{ op: 'add', path: at, value: added }]), { old: 'a', new: 'b' });
    expect(d.changes).toEqual([
      expect.objectContaining({ rule: 'other-changed', pointer: at, message: expect.stringMatching(/^part added/) }),
    ]);
    expect(d.changes[0]!.new).toEqual(added);
  });
});

describe("drift within one provider's documents", () => {
  it('lists every ToAPIs conflict of shared/providers.md with each claim, its source and the mock’s choice', () => {
    const items = selfDrift(specs.get('toapis-kling-3.0-turbo')!);
    const text = JSON.stringify(items);
    const facts = items.map((i) => i.fact);
    // 1. table (6|10 s, default 6, 720P only, model gemini-omni-flash) vs preview, prose and public doc
    expect(facts).toEqual(
      expect.arrayContaining([
        'default.duration',
        'range.duration',
        'enum.resolution',
        'const.model',
        'default.resolution',
        'example.request-preview',
      ]),
    );
    const duration = items.find((i) => i.fact === 'default.duration' && i.kind === 'competing-claims')!;
    expect(duration.claims!.map((c) => [c.value, c.mock])).toEqual([
      [5, true],
      [5, false],
      [6, false],
    ]);
    expect(duration.claims![2]!.source).toContain('关键参数 table');
    expect(text).toContain('gemini-omni-flash');
    expect(text).toContain('5-15');
    // 2. status words: "submitted" appears in a table but not in the vocabulary
    expect(facts).toContain('status.submitted');
    // 6. error names differ from ToAPIs' own table; 402/404/422 missing from the seed
    expect(facts).toEqual(
      expect.arrayContaining(['error.400.code', 'error.401.code', 'error.402', 'error.404', 'error.422']),
    );
    // a default outside its own enum or range
    expect(items.some((i) => i.kind === 'default-outside-schema' && i.message.includes('[6,10]'))).toBe(true);
  });

  it(
    "flags seed 003's prose-only rule, its 1080p price factor claims, and prompts " +
      'documented as required but conditional',
    () => {
      expect(selfDrift(specs.get('aimanyi-kling-3.0-turbo')!).map((i) => i.fact)).toEqual(
        expect.arrayContaining(['rule.prompt_or_contents', 'price.multiplier.1080p']),
      );
      expect(selfDrift(specs.get('evolink-kling-v3-t2v')!).map((i) => i.fact)).toContain('required.prompt');
    },
  );
});

describe('compare across providers', () => {
  it('shows field names, defaults, limits, status words, prices and link life, marking differences', () => {
    const c = compareProviders([...specs.values()]);
    const row = (aspect: string) => c.rows.find((r) => r.aspect === aspect)!;
    expect(row('resolution field').values).toMatchObject({
      'evolink-kling-v3-t2v': 'quality: 720p|1080p',
      'apiinone-kling-3': 'mode: std|pro',
      'aimanyi-kling-3.0-turbo': 'settings.resolution: 720p|1080p',
    });
    expect(row('sound').values).toMatchObject({
      'evolink-kling-v3-t2v': 'sound: on|off',
      'apiinone-kling-3': 'sound: boolean',
    });
    expect(row('price, default 5 s 720p, no sound').values).toMatchObject({
      'evolink-kling-v3-t2v': '0.375 USD',
      'apiinone-kling-3': '200 credits (≈ $2)',
    });
    expect(row('price, default 5 s 720p, with sound').values).toMatchObject({
      'evolink-kling-v3-t2v': '0.5625 USD',
      'apiinone-kling-3': '300 credits (≈ $3)',
    });
    expect(row('status words').differs).toBe(true);
    expect(row('default aspect ratio').differs).toBe(false);
    expect(row('result link life').values['aimanyi-kling-3.0-turbo']).toBe('720 h (inferred)');
  });
});

describe('drift --all: the seven conflict families of providers.md, each as competing claims with sources', () => {
  it('lists every family: within a gateway (1, 5, 6) and across gateways and upstream (2, 3, 4, 7)', async () => {
    const { crossDrift } = await import('./cross-drift.ts');
    const all = [...specs.values()];
    const items = [...all.flatMap(selfDrift), ...crossDrift(all)];
    const facts = items.map((i) => `${i.provider} ${i.fact}`);
    // 1. ToAPIs' table vs its preview, prose and public doc
    expect(facts).toEqual(
      expect.arrayContaining([
        'toapis-kling-3.0-turbo default.duration',
        'toapis-kling-3.0-turbo range.duration',
        'toapis-kling-3.0-turbo const.model',
      ]),
    );
    // 2. status words across and within gateways, incl. upstream's legacy succeed
    expect(facts).toEqual(
      expect.arrayContaining([
        '* status.vocabulary',
        'toapis-kling-3.0-turbo status.submitted',
        'aimanyi-kling-3.0-turbo status.succeed',
      ]),
    );
    expect(JSON.stringify(items.find((i) => i.fact === 'status.vocabulary')!.claims)).toContain('succeed');
    // 3. duration integer vs string, sound string vs boolean
    const duration = items.find((i) => i.fact === 'duration.type')!;
    expect(duration.claims!.map((c) => c.value)).toEqual(expect.arrayContaining(['integer', 'string']));
    expect(
      [
        ...new Set(items.find((i) => i.fact === 'sound.type')!.claims!.map((c) => (c.value as { type: string }).type)),
      ].sort(),
    ).toEqual(['boolean', 'string']);
    // 4. the 1080p price factor
    expect(
      items
        .find((i) => i.provider === '*' && i.fact === 'price.multiplier.1080p')!
        .claims!.map((c) => c.value)
        .sort(),
    ).toEqual([1.25, 1.333, 1.5]);
    // 5. seed 003's prose-only rule; 6. error names and the errors missing from the seeds
    expect(facts).toEqual(
      expect.arrayContaining([
        'aimanyi-kling-3.0-turbo rule.prompt_or_contents',
        'toapis-kling-3.0-turbo error.400.code',
        'toapis-kling-3.0-turbo error.402',
      ]),
    );
    // 7. result link life: 24 h vs 30 days
    expect(items.find((i) => i.fact === 'result-link.lifetime')!.claims!.map((c) => c.value)).toEqual(
      expect.arrayContaining(['24 h', '720 h']),
    );
    for (const i of items.filter((x) => x.kind === 'cross-provider'))
      for (const c of i.claims!) expect(c.source).not.toContain('no source');
  });
});

describe('drift --all: the conflicts found on a second reading, and the Markdown that shows them', () => {
  it(
    'reports 404 task_not_found vs code 404, the numeric 401, Kling codes under two statuses, the words for an ' +
      'intelligent multi-shot, fal generate_audio among the sound fields, a required model with a default',
    async () => {
      const { crossDrift } = await import('./cross-drift.ts');
      const all = [...specs.values()];
      const items = [...all.flatMap(selfDrift), ...crossDrift(all)];
      const item = (provider: string, fact: string) => items.find((i) => i.provider === provider && i.fact === fact);
      const values = (provider: string, fact: string) => item(provider, fact)?.claims?.map((c) => c.value);
      expect(values('toapis-kling-3.0-turbo', 'error.404.code')).toEqual([404, 'task_not_found']);
      expect(values('toapis-kling-3.0-turbo', 'error.401.code')).toContain(401);
      for (const code of ['1103', '1300', '1301'])
        expect(new Set(values('kling-official-v3', `error-code.${code}.status`)).size, code).toBe(2);
      expect(JSON.stringify(values('*', 'shot_type.values'))).toMatch(/intelligence.*intelligent/);
      expect(item('*', 'sound.type')!.claims!.some((c) => c.source.startsWith('fal-kling-v3-standard-t2v'))).toBe(true);
      // EvoLink's model "Required" with a default: one competing-claims item (not a second required-vs-optional one)
      expect(item('evolink-kling-v3-t2v', 'required.model')?.kind).toBe('competing-claims');
      expect(item('evolink-kling-v3-t2v', 'required-default.model')).toBeUndefined();
    },
  );

  it("a command's output carries no 'Generated … Do not edit' line; the committed docs do", async () => {
    const { renderSelfDrift, renderComparison } = await import('./render-drift.ts');
    const { compareProviders } = await import('./compare.ts');
    const all = [...specs.values()];
    const ids = all.map((s) => s.id);
    const items = all.flatMap(selfDrift);
    expect(renderSelfDrift(ids, items)).not.toContain('Do not edit');
    expect(renderSelfDrift(ids, items, 'doc')).toContain('Do not edit');
    expect(renderComparison(compareProviders(all))).not.toContain('Do not edit');
    expect(renderComparison(compareProviders(all), 'doc')).toContain('Do not edit');
  });

  it('the Markdown (drift --all, docs/drift.md) carries the cross-provider families, not only the JSON', async () => {
    const { crossDrift } = await import('./cross-drift.ts');
    const { renderSelfDrift } = await import('./render-drift.ts');
    const all = [...specs.values()];
    const md = renderSelfDrift(
      all.map((s) => s.id),
      [...all.flatMap(selfDrift), ...crossDrift(all)],
    );
    const across = md.slice(md.indexOf('## Across providers'));
    expect(md).toContain('## Across providers');
    for (const fact of [
      'status.vocabulary',
      'duration.type',
      'sound.type',
      'price.multiplier.1080p',
      'result-link.lifetime',
    ])
      expect(across, fact).toContain(`**${fact}** (cross-provider)`);
  });
});
