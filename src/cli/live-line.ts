import wrapAnsi from 'wrap-ansi';
import { redact } from '../core/redact.ts';

/** A status line drawn in place: what `run` shows on a terminal while checks are in flight. */
export interface LiveLine {
  show(line: string): void;
  clear(): void;
}

/**
 * The live line on `out`, or undefined where redrawing in place is not possible: not a terminal (a pipe, a CI log)
 * or a terminal that declares it cannot move the cursor (TERM=dumb: Emacs shells, some CI consoles). There only the
 * finished-check lines are printed. One line, cut to the terminal's width (display width: CJK counts two), drawn
 * with a carriage return and erase-line. (log-update was tried: it draws nothing on a pseudo-terminal reporting 0
 * rows, as `script` and some CI runners do, and does not read TERM.)
 */
export function liveLine(out: NodeJS.WriteStream, env = process.env): LiveLine | undefined {
  if (!out.isTTY || env.TERM === 'dumb') return undefined;
  let drawn = false;
  return {
    show: (line) => {
      const width = Math.max(40, (out.columns || 120) - 1);
      out.write(`\r\x1b[2K${wrapAnsi(redact(line), width, { hard: true, trim: true }).split('\n')[0]}`);
      drawn = true;
    },
    clear: () => {
      if (drawn) out.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
