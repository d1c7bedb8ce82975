import type { Command } from 'commander';
import { loadAllSpecs } from '../../spec/load-spec.ts';
import { formatDefault, summariseProvider } from '../../spec/describe-provider.ts';
import { formatTable, terminalWidth } from '../../core/table.ts';
import { EXIT } from '../../core/errors.ts';
export async function listSpecs(program: Command, options: { json?: boolean }): Promise<number> {
  const summaries = (await loadAllSpecs(program.opts().specs)).map(summariseProvider);
  if (options.json) {
    console.log(JSON.stringify(summaries, null, 2));
  } else {
    const rows = summaries.map((s) => [
      s.id,
      s.gateway,
      s.model,
      s.create,
      s.poll + (s.pollInferred ? ' (inferred)' : ''),
      ['duration', 'resolution', 'aspect_ratio']
        .map((k) => `${k}=${s.defaults[k] ? formatDefault(s.defaults[k]) : 'not a setting'}`)
        .join('; '),
      s.availability,
      `${s.facts.total} (${s.facts.inferred} inferred)`,
    ]);
    console.log(
      formatTable(
        ['id', 'gateway', 'model', 'create', 'poll', 'defaults', 'availability', 'facts (see docs/facts.md)'],
        rows,
        terminalWidth(),
      ),
    );
  }
  return EXIT.OK;
}
