import type { Command } from 'commander';
import type { ExitRecorder } from '../register-commands.ts';
import { loadAllSpecs } from '../../spec/load-spec.ts';
import { formatDefault, summariseProvider } from '../../spec/describe-provider.ts';
import { formatTable } from '../../core/table.ts';
import { EXIT } from '../../core/errors.ts';

export function registerSpecs(program: Command, withExitCode: ExitRecorder): void {
  program
    .command('specs')
    .description('list the providers described under specs/: endpoints, defaults (with conflicting claims), availability')
    .option('--json', 'print JSON for machines')
    .action(
      withExitCode(async (options: { json?: boolean }) => {
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
          ['duration', 'resolution', 'aspect_ratio'].map((k) => `${k}=${s.defaults[k] ? formatDefault(s.defaults[k]) : 'not a setting'}`).join('; '),
          s.availability,
          `${s.facts.total} (${s.facts.inferred} inferred)`,
        ]);
        console.log(formatTable(['id', 'gateway', 'model', 'create', 'poll', 'defaults', 'availability', 'facts (see docs/facts.md)'], rows));
      }
      return EXIT.OK;
      }),
    );
}
