import type { Command } from 'commander';
import { HarnessError, EXIT } from '../../core/errors.ts';
import { formatTable, terminalWidth } from '../../core/table.ts';
import { generateCases } from '../../cases/generate-cases.ts';
import { loadSpecById } from '../../spec/load-spec.ts';
import { parseIntFlag } from '../../core/parse-flags.ts';
export async function printCases(
  program: Command,
  flags: { provider: string; seed: string; format: string; rule?: string },
): Promise<number> {
  const seed = parseIntFlag('--seed', flags.seed, 0);
  if (flags.format !== 'json' && flags.format !== 'table')
    throw new HarnessError('USAGE', `--format must be json or table`, { fix: 'use --format json' });
  const spec = await loadSpecById(flags.provider, program.opts().specs);
  const all = generateCases(spec, { seed });
  const cases = flags.rule ? all.filter((c) => c.rule === flags.rule) : all;
  if (flags.rule && cases.length === 0) {
    throw new HarnessError('USAGE', `no case has rule "${flags.rule}" for ${spec.id}`, {
      fix: `use one of: ${[...new Set(all.map((c) => c.rule))].join(', ')}`,
    });
  }
  if (flags.format === 'json') {
    console.log(
      JSON.stringify(
        cases.map((c) => ({ id: c.id, rule: c.rule, field: c.field, note: c.note, body: c.body, expect: c.expect })),
        null,
        2,
      ),
    );
  } else {
    const rows = cases.map((c) => [
      c.id.length > 60 ? `${c.id.slice(0, 57)}…` : c.id,
      c.rule,
      c.expect.outcome + (c.expect.status ? ` ${c.expect.status}` : ''),
      c.note.length > 60 ? `${c.note.slice(0, 57)}…` : c.note,
    ]);
    console.log(formatTable(['id', 'rule', 'expect', 'how it was made'], rows, terminalWidth()));
    const byRule = new Map<string, number>();
    for (const c of cases) byRule.set(c.rule, (byRule.get(c.rule) ?? 0) + 1);
    console.log(`\n${cases.length} cases (seed ${seed}): ${[...byRule].map(([r, n]) => `${r} ${n}`).join(', ')}`);
  }
  return EXIT.OK;
}
