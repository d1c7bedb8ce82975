import type { FactChange, RunComparison, RunLabel } from './run-changes.ts';

const json = (v: unknown) => (v === undefined ? 'nothing' : `\`${JSON.stringify(v)}\``);

const runLine = (name: string, r: RunLabel) =>
  `- ${name}: ${r.file} — run ${r.id}, ${r.target}${r.mockClaims ? ` (--mock-claims ${r.mockClaims})` : ''}, ` +
  `started ${r.startedAt}`;

function changeLines(c: FactChange): string[] {
  const lines = [
    `- **${c.fact}** ${c.severity}${c.direction ? ` ${c.direction}` : ''} (${c.check}): ${c.message}` +
      (c.specChanged ? ' — the spec changed between the runs' : ''),
  ];
  if (c.documented !== undefined || c.source)
    lines.push(`  - documented: ${json(c.documented)}${c.source ? ` — ${c.source}` : ''}`);
  for (const [name, side] of [
    ['before', c.before],
    ['after', c.after],
  ] as const)
    if (side?.requestIds?.length) lines.push(`  - ${name}: request ids ${side.requestIds.join(', ')}`);
  return lines;
}

/** `drift --between`'s Markdown: the runs, what limits the comparison, then per provider each change of behaviour. */
export function renderRunComparison(c: RunComparison): string {
  const lines = [
    '# Observed behaviour between two runs',
    '',
    runLine('before', c.before),
    runLine('after', c.after),
    '',
    ...c.notes.map((n) => `> Note: ${n}`),
    ...(c.notes.length ? [''] : []),
    `${c.counts.ERR} away from the documents (ERR), ${c.counts.WARN} worth knowing (WARN), ` +
      `${c.counts.INFO} toward the documents, within them or in one run only (INFO); ${c.unchanged} facts unchanged`,
    '',
  ];
  const providers = [...new Set([...c.providers, ...c.changes.map((x) => x.provider)])];
  for (const provider of providers) {
    const mine = c.changes.filter((x) => x.provider === provider);
    lines.push(`## ${provider}`, '');
    if (!mine.length) lines.push('No behaviour changed.', '');
    else lines.push(...mine.flatMap(changeLines), '');
  }
  if (c.notCompared.length)
    lines.push(
      `## Not compared: not judged in one run (${c.notCompared.length}; not a change)`,
      '',
      'The other run could not judge these checks (an outage, 429s, 5xx, timeouts, missing evidence): what it did ' +
        'not see is no change. Run again once the gateway answers.',
      '',
      ...c.notCompared.map(
        (n) => `- ${n.provider} · ${n.fact} (${n.check}): ${json(n.value)}; not judged ${n.unjudgedIn}: ${n.reason}`,
      ),
      '',
    );
  return lines.join('\n');
}
