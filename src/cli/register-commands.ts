import type { Command } from 'commander';
import { registerSpecs } from './commands/specs.ts';
import { registerValidate } from './commands/validate.ts';
import { registerMock } from './commands/mock.ts';
import { registerRun } from './commands/run.ts';
import { registerCases } from './commands/cases.ts';
import { registerDrift } from './commands/drift.ts';
import { registerHistory } from './commands/history.ts';
import { registerMerge } from './commands/merge.ts';
import { registerVerifyClient } from './commands/verify-client.ts';
import { registerProxy } from './commands/proxy.ts';
import { withConfigAndEnv } from './config-defaults.ts';

/** Each command's action returns its exit code; `withExitCode` records it (commander ignores return values). */
export type ExitRecorder = <A extends unknown[]>(fn: (...args: A) => Promise<number>) => (...args: A) => Promise<void>;

export function registerCommands(program: Command, setExitCode: (code: number) => void): void {
  const withExitCode: ExitRecorder =
    (fn) =>
    async (...args) =>
      setExitCode(await fn(...args));
  for (const register of [
    registerSpecs,
    registerValidate,
    registerMock,
    registerRun,
    registerCases,
    registerDrift,
    registerHistory,
    registerMerge,
    registerVerifyClient,
    registerProxy,
  ])
    register(program, withExitCode);
  // the commands a CI job configures read flags from KLING_CONFORMANCE_* and the project's config too
  for (const command of program.commands.filter((c) => ['run', 'mock', 'history'].includes(c.name())))
    withConfigAndEnv(command);
}
