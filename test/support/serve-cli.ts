import { spawn } from 'node:child_process';

export interface ServingCli {
  /** the first base URL the command printed (`--json`: one line `{"<provider>": "<url>"}`) */
  url: string;
  /** everything it wrote to stderr so far */
  stderr(): string;
  /** resolves once its stderr matches `pattern` */
  said(pattern: RegExp): Promise<void>;
  /** resolves with its exit code once it has exited (by itself or after stop) */
  exited: Promise<number | null>;
  /** sends the signal and resolves with the exit code */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts a serving command as users type it (`kling-conformance mock --json …`, `proxy --json …`) in its own process;
 * ready once both streams have spoken: the URL line on stdout, "Ctrl-C" on stderr (two pipes, either may lag).
 */
export async function serveCli(args: string[]): Promise<ServingCli> {
  const child = spawn(process.execPath, ['bin/kling-conformance.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const listeners: (() => void)[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start: ${err}`)), 30_000);
    const check = () => out.includes('\n') && err.includes('Ctrl-C') && (clearTimeout(timer), resolve());
    child.stdout.on('data', (d: Buffer) => ((out += d.toString()), check()));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      check();
      for (const listener of [...listeners]) listener();
    });
    exited.then(() => reject(new Error(`${args[0]} exited before it served: ${err}`)));
  });
  const url = Object.values(JSON.parse(out.split('\n')[0]!) as Record<string, string>)[0]!;
  const said = (pattern: RegExp) =>
    new Promise<void>((resolve) => {
      const listener = () => {
        if (!pattern.test(err)) return;
        listeners.splice(listeners.indexOf(listener), 1);
        resolve();
      };
      listeners.push(listener);
      listener();
    });
  return { url, stderr: () => err, said, exited, stop: (signal = 'SIGINT') => (child.kill(signal), exited) };
}
