import type { Command } from 'commander';
import type { ExitRecorder } from '../register-commands.ts';
import { lazyAction } from '../lazy-action.ts';
export function registerDrift(program: Command, withExitCode: ExitRecorder): void {
  program
    .command('diff')
    .description(
      'compare two versions of a provider spec (folders, or REV:PATH); each row names what changed (its JSON ' +
        'pointer), before and after; a change no rule judges (a reworded statement) is listed as other-changed; ' +
        'exit 1 when a change reaches --fail-on',
    )
    .argument('<old>', 'old version: a spec folder or REV:PATH (e.g. HEAD~1:specs/evolink-kling-v3-t2v)')
    .argument('<new>', 'new version: a spec folder or REV:PATH')
    .option('--fail-on <level>', 'ERR or WARN (or INFO)', 'ERR')
    .option('--format <format>', 'md or json', 'md')
    .action(withExitCode(lazyAction(() => import('./drift-action.ts'), 'diffSpecVersions', program)));

  program
    .command('drift')
    .description(
      "where a provider's documents contradict themselves (--provider/--all), or " +
        'where observed runs contradict the documents (--results; exit 1 when they do), or where observed ' +
        'behaviour changed between two runs (--between) or night by night across a history (--history; exit 1 ' +
        'when a change reaches --fail-on)',
    )
    .option('--provider <id...>', 'providers whose documents to examine (with --history: whose nights to compare)')
    .option('--all', 'every provider')
    .option('--results <file...>', 'results.json of mock or live runs or a proxy (exit 2: no drift, checks unjudged)')
    .option(
      '--between <runs...>',
      'two runs, before and after (each a results.json or its report folder): per provider and fact, what each ' +
        'observed, the documented value and its source, and whether the change moves toward or away from the ' +
        'documents; a fact the other run could not judge (an outage) is no change: exit 2 when nothing reaches ' +
        '--fail-on',
    )
    .option(
      '--history <history.jsonl>',
      "a history a nightly job appends to: each provider's runs (per target) compared night by night, each change " +
        'with the night (run, report folder) it first showed in; a report folder missing is "not compared", never ' +
        'a pass: exit 2 when nothing reaches --fail-on',
    )
    .option('--since <date>', '--history: only runs started on or after this date (ISO 8601, e.g. 2026-11-01)')
    .option('--last <n>', "--history: only each provider's last n nights (2 or more)")
    .option('--first-last', "--history: compare each provider's first night in the window with its last only")
    .option(
      '--fail-on <level>',
      '--between/--history: exit 1 when a change reaches ERR (away from the documents), WARN (default: also a ' +
        'switch of documented claim, or between undocumented values) or INFO (any change, a fact seen in one run only)',
    )
    .option('--format <format>', 'md or json', 'md')
    .action(withExitCode(lazyAction(() => import('./drift-action.ts'), 'reportDrift', program)));

  program
    .command('compare')
    .description(
      'one table of how the gateways expose Kling 3.0: endpoints, field names, ' +
        'defaults, limits, status words, errors, retry advice, prices, link life',
    )
    .option('--providers <ids>', 'comma-separated provider ids (default: all)')
    .option('--format <format>', 'md or json', 'md')
    .action(withExitCode(lazyAction(() => import('./drift-action.ts'), 'printComparison', program)));
}
