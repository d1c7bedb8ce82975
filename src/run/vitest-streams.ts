import { Writable } from 'node:stream';

/**
 * The streams vitest logs to. On a terminal vitest hides the cursor (and shows it again at the end); a terminal that
 * declares TERM=dumb cannot take that escape, so there vitest gets the same streams without their TTY flag.
 */
export function vitestStreams(env = process.env): { stdout: Writable; stderr: Writable } | undefined {
  if (env.TERM !== 'dumb') return undefined;
  const plain = (to: NodeJS.WriteStream) =>
    new Writable({ write: (chunk: Buffer, _encoding, done) => void to.write(chunk, () => done()) });
  return { stdout: plain(process.stdout), stderr: plain(process.stderr) };
}
