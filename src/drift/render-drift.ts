import { formatMarkdownTable } from '../core/table.ts';
import type { Comparison } from './compare.ts';
import type { SpecDiff } from './diff-specs.ts';
import type { DriftItem } from './types.ts';

const json = (v: unknown) => (v === undefined ? '' : `\`${JSON.stringify(v)}\``);
/** A value in a table cell: a long text cut (the JSON format keeps it whole). */
const cell = (v: unknown, max = 160) => {
  const text = json(v);
  return text.length > max ? `${text.slice(0, max - 2)}…\`` : text;
};

/** Two versions of a long text, from a little before where they start to differ (what is the same is not the news). */
function fromDifference(old: unknown, now: unknown): [unknown, unknown] {
  if (typeof old !== 'string' || typeof now !== 'string') return [old, now];
  let same = 0;
  while (same < old.length && old[same] === now[same]) same++;
  const from = Math.max(0, same - 30);
  return from === 0 ? [old, now] : [`…${old.slice(from)}`, `…${now.slice(from)}`];
}

/** A change's before and after cells. */
const beforeAfter = (c: SpecDiff['changes'][number]) => fromDifference(c.old, c.new).map((v) => cell(v));

export function renderDiff(d: SpecDiff): string {
  const lines = [
    `# Spec diff: ${d.old} → ${d.new}`,
    '',
    `${d.counts.ERR} breaking (ERR), ${d.counts.WARN} worth knowing (WARN), ${d.counts.INFO} neutral (INFO)`,
    '',
  ];
  if (d.changes.length === 0) return lines.concat('No changes.', '').join('\n');
  lines.push(
    formatMarkdownTable(
      ['severity', 'rule', 'where', 'change', 'old', 'new'],
      d.changes.map((c) => [c.severity, c.rule, `\`${c.pointer || '/'}\``, c.message, ...beforeAfter(c)]),
    ),
    '',
  );
  return lines.join('\n');
}

/**
 * Part 2 (self) and part 4 (observed) share this layout: per provider, each fact with its claims. A provider with no
 * drift but checks that could not be judged (`unjudged`) shows none, without saying none was found.
 */
export function renderDrift(
  title: string,
  intro: string,
  items: DriftItem[],
  providers: string[],
  unjudged: string[] = [],
): string {
  const lines = [`# ${title}`, '', intro, ''];
  // facts where the gateways disagree with each other (provider "*") follow the per-provider sections
  const across = items.some((i) => i.provider === '*') ? ['*'] : [];
  for (const provider of [...providers, ...across]) {
    const mine = items.filter((i) => i.provider === provider);
    lines.push(provider === '*' ? '## Across providers' : `## ${provider}`, '');
    if (mine.length === 0) {
      lines.push(
        unjudged.includes(provider)
          ? 'No drift shown, none ruled out: checks could not be judged (below).'
          : 'No drift found.',
        '',
      );
      continue;
    }
    for (const item of mine) {
      lines.push(`- **${item.fact}** (${item.kind}): ${item.message}`);
      for (const c of item.claims ?? [])
        lines.push(`  - ${json(c.value)} — ${c.source}${c.mock ? ' **← the mock follows this claim**' : ''}`);
      if (item.requestIds?.length) lines.push(`  - request ids: ${item.requestIds.join(', ')}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** The line a committed doc carries (docs/*.md are rendered by `npm run gen`); a command's output carries none. */
export type Rendered = 'doc' | 'output';

export function renderComparison(c: Comparison, as: Rendered = 'output'): string {
  // a gateway cell that departs from upstream Kling carries ≠
  const rows = c.rows.map((r) => [
    r.differs ? `**${r.aspect}** ⚠️` : r.aspect,
    ...c.providers.map((p) => `${r.values[p] ?? '—'}${r.departsFromUpstream?.includes(p) ? ' ≠' : ''}`),
  ]);
  return [
    '# How the gateways expose Kling 3.0',
    '',
    ...(as === 'doc'
      ? ['<!-- Generated from specs/ by `npm run gen` (kling-conformance compare). Do not edit. -->', '']
      : []),
    'One row per aspect; **bold ⚠️** rows differ between gateways. "(inferred)" marks what no document states.' +
      (c.upstream
        ? ` The first column is upstream Kling (${c.upstream}); ≠ marks where a gateway departs from it.`
        : ''),
    '',
    formatMarkdownTable(['aspect', ...c.providers], rows),
    '',
  ].join('\n');
}

/**
 * Part 2 over a set of providers: `drift --provider/--all`'s output, and docs/drift.md (`as: 'doc'`, after `preface`:
 * the page's account of every drift report).
 */
export function renderSelfDrift(
  providers: string[],
  items: DriftItem[],
  as: Rendered = 'output',
  preface = '',
): string {
  const banner = '<!-- Generated from specs/ by `npm run gen` (kling-conformance drift --all). Do not edit. -->\n\n';
  return renderDrift(
    "Where each provider's documents disagree",
    `${as === 'doc' ? banner + preface : ''}Each fact lists every documented claim with its source; the ` +
      'mock follows the marked one (`--claims other` switches).',
    items,
    providers,
  );
}
