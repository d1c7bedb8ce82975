import type { Command } from 'commander';

/**
 * A command's action, imported when the command runs: `--help`, `--version` and every other command start without
 * loading what this one needs (vitest, msw, ajv…). The action module exports the named
 * function (e.g. `runCommand(program, ...commander args)`).
 */
export function lazyAction<M>(
  load: () => Promise<M>,
  name: keyof M & string,
  program: Command,
): (...args: unknown[]) => Promise<number> {
  return async (...args) =>
    ((await load())[name] as (program: Command, ...rest: unknown[]) => Promise<number>)(program, ...args);
}
