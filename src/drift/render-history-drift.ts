import type { HistoryChange, HistoryDrift, NightLabel, SeriesDrift } from './history-drift.ts';

const json = (v: unknown) => (v === undefined ? 'nothing' : `\`${JSON.stringify(v)}\``);

const nightText = (n: NightLabel) => `${n.startedAt} (run ${n.id}, ${n.reportDir}, history line ${n.line})`;

function changeLines(c: HistoryChange): string[] {
  const lines = [
    `- **${c.fact}** ${c.severity}${c.direction ? ` ${c.direction}` : ''} (${c.check}): ${c.message}` +
      (c.specChanged ? ' — the spec changed between the nights' : ''),
    `  - first seen ${nightText(c.appeared)}; the night before: ${c.previous.startedAt} (${c.previous.reportDir})`,
  ];
  if (c.documented !== undefined || c.source)
    lines.push(`  - documented: ${json(c.documented)}${c.source ? ` — ${c.source}` : ''}`);
  return lines;
}

function notComparedLines(s: SeriesDrift): string[] {
  const rows = [
    ...s.missing.map((m) => `- ${m.night.startedAt} (run ${m.night.id}): ${m.reason}`),
    ...s.notCompared.map((n) => {
      const where = n.unjudgedIn === 'after' ? n.appeared.reportDir : n.previous.reportDir;
      return `- ${n.fact} (${n.check}): ${json(n.value)}; not judged in ${where}: ${n.reason}`;
    }),
  ];
  if (!rows.length) return [];
  return [`### Not compared (${rows.length}; not a change, not a pass)`, '', ...rows, ''];
}

function seriesLines(s: SeriesDrift): string[] {
  const span = s.nights.length ? `, ${s.nights[0]!.startedAt} → ${s.nights.at(-1)!.startedAt}` : '';
  const nights = `${s.nights.length} night${s.nights.length === 1 ? '' : 's'}`;
  const lines = [`## ${s.provider} (${s.target}): ${nights}${span}`, ''];
  lines.push(...[...new Set(s.notes)].map((n) => `> Note: ${n}`), ...(s.notes.length ? [''] : []));
  if (s.unjudged) lines.push(`Not judged: ${s.unjudged}.`, '');
  else if (!s.changes.length) lines.push(`No behaviour changed (${s.compared} comparisons, ${s.unchanged} facts).`, '');
  else lines.push(...s.changes.flatMap(changeLines), '');
  return [...lines, ...notComparedLines(s)];
}

/** `drift --history`'s Markdown: the window, then per provider and target each change with the night it showed in. */
export function renderHistoryDrift(d: HistoryDrift): string {
  const window = [
    d.window.providers ? `providers ${d.window.providers.join(', ')}` : '',
    d.window.since ? `since ${d.window.since}` : '',
    d.window.last ? `the last ${d.window.last} nights` : '',
  ].filter(Boolean);
  return [
    '# Observed behaviour across a history',
    '',
    `From ${d.file}${window.length ? ` (${window.join(', ')})` : ''}: ` +
      (d.pairs === 'first-last' ? "each series' first night against its last." : 'each night against the one before.'),
    '',
    `${d.counts.ERR} away from the documents (ERR), ${d.counts.WARN} worth knowing (WARN), ` +
      `${d.counts.INFO} toward the documents, within them or in one night only (INFO)`,
    '',
    ...d.series.flatMap(seriesLines),
  ].join('\n');
}
