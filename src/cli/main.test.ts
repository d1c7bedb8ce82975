import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../core/errors.ts';
import { main } from './main.ts';

/** What `main(argv)` wrote to stderr, and its exit code. */
async function refused(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const code = await main(argv);
  return { code, stderr };
}

afterEach(() => vi.restoreAllMocks());

describe("commander's own refusals read as every other harness error", () => {
  it.each([
    [['proxy', '--upstream', 'http://127.0.0.1:1'], "required option '--provider <id>' not specified", 'proxy'],
    [['cases'], "required option '--provider <id>' not specified", 'cases'],
    [['--specs', 'specs', 'run', '--bogus'], "unknown option '--bogus'", 'run'],
    [['run', '--target', 'nope'], "option '--target <target>' argument 'nope' is invalid", 'run'],
  ])('%j: exit 2, USAGE, and the command whose --help is the fix', async (argv, said, command) => {
    const { code, stderr } = await refused(argv);
    expect(code).toBe(EXIT.HARNESS);
    expect(stderr).toContain(`kling-conformance: USAGE: ${said}`);
    expect(stderr).toContain(`fix: kling-conformance ${command} --help lists its options`);
    expect(stderr).not.toMatch(/^error: /m);
  });

  it('an unknown command points at the CLI’s own --help', async () => {
    const { code, stderr } = await refused(['nosuchcmd']);
    expect(code).toBe(EXIT.HARNESS);
    expect(stderr).toContain("USAGE: unknown command 'nosuchcmd'");
    expect(stderr).toContain('fix: kling-conformance --help lists them');
  });
});
