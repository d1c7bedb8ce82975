import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

const GAP = 2;
/** no column is squeezed narrower than this to fit a terminal (a longer word breaks across lines) */
const MIN_COLUMN = 6;

/**
 * A plain-text table for terminals: columns padded to their widest cell (display width: CJK and emoji take two
 * columns). Given `maxWidth` (a terminal's columns), the widest columns give way until the table fits, and their
 * cells wrap onto more lines instead of running past the edge.
 */
export function formatTable(header: string[], rows: string[][], maxWidth?: number): string {
  const natural = header.map((h, i) => Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r[i] ?? ''))));
  const widths = maxWidth ? fitWidths(natural, maxWidth - GAP * (header.length - 1)) : natural;
  const line = (cells: string[]) => {
    const wrapped = widths.map((w, i) => wrapAnsi(cells[i] ?? '', w, { hard: true, trim: true }).split('\n'));
    const height = Math.max(...wrapped.map((c) => c.length));
    return Array.from({ length: height }, (_, n) =>
      wrapped
        .map((c, i) => (c[n] ?? '') + ' '.repeat(Math.max(0, widths[i]! - stringWidth(c[n] ?? ''))))
        .join(' '.repeat(GAP))
        .trimEnd(),
    ).join('\n');
  };
  return [line(header), widths.map((w) => '-'.repeat(w)).join(' '.repeat(GAP)), ...rows.map(line)].join('\n');
}

/** Narrows the widest column one step at a time until the columns fit `budget` (or all are at the minimum). */
function fitWidths(natural: number[], budget: number): number[] {
  const widths = [...natural];
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > budget) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= MIN_COLUMN) break;
    widths[widest]!--;
    total--;
  }
  return widths;
}

export function formatMarkdownTable(header: string[], rows: string[][]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/** The columns a table may use: the terminal's, else $COLUMNS, else 120 (a pipe or CI log has no width of its own). */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  if (stream.isTTY && stream.columns) return stream.columns;
  const env = Number(process.env.COLUMNS);
  return Number.isInteger(env) && env >= 40 ? env : 120;
}
