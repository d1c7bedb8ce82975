import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

const GAP = 2;
/** no column is squeezed narrower than this to fit a terminal (a longer word breaks across lines) */
const MIN_COLUMN = 6;
/** a word longer than this may still be broken to make a table fit */
const MAX_WORD = 30;

/**
 * A plain-text table for terminals: columns padded to their widest cell (display width: CJK and emoji take two
 * columns). Given `maxWidth` (a terminal's columns), the widest columns give way until the table fits, and their
 * cells wrap onto more lines instead of running past the edge; where even that cannot fit, each row becomes a block.
 */
export function formatTable(header: string[], rows: string[][], maxWidth?: number): string {
  const natural = header.map((h, i) => Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r[i] ?? ''))));
  const longestWord = header.map((h, i) =>
    Math.max(...[h, ...rows.map((r) => r[i] ?? '')].flatMap((c) => c.split(/\s+/)).map((w) => stringWidth(w))),
  );
  const budget = (maxWidth ?? 0) - GAP * (header.length - 1);
  if (maxWidth && floors(natural, longestWord).reduce((a, b) => a + b, 0) > budget)
    return formatRecords(header, rows, maxWidth);
  const widths = maxWidth ? fitWidths(natural, budget, longestWord) : natural;
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

/**
 * Narrows columns until they fit `budget`: first the one with most room above its longest word (so ids and other
 * single words stay whole), then, if that is not enough, the widest, down to MIN_COLUMN.
 */
function fitWidths(natural: number[], budget: number, words: number[]): number[] {
  const widths = [...natural];
  const floor = floors(natural, words);
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > budget) {
    const room = widths.map((w, i) => w - floor[i]!);
    const byRoom = room.indexOf(Math.max(...room));
    const widest = widths.indexOf(Math.max(...widths));
    const column = room[byRoom]! > 0 ? byRoom : widest;
    if (widths[column]! <= MIN_COLUMN) break;
    widths[column]!--;
    total--;
  }
  return widths;
}

/** How narrow each column may get with its words whole (up to MAX_WORD). */
const floors = (natural: number[], words: number[]) =>
  natural.map((n, i) => Math.min(n, Math.max(MIN_COLUMN, Math.min(words[i]!, MAX_WORD))));

/**
 * Too many columns for the terminal: one block per row instead, its first cell as the heading and each other cell
 * under its column's name, wrapped to the width.
 */
function formatRecords(header: string[], rows: string[][], maxWidth: number): string {
  const label = Math.max(...header.slice(1).map((h) => stringWidth(h))) + GAP;
  const valueWidth = Math.max(MIN_COLUMN, maxWidth - label - 2);
  return rows
    .map((r) =>
      [
        r[0] ?? '',
        ...header.slice(1).map((h, i) => {
          const lines = wrapAnsi(r[i + 1] ?? '', valueWidth, { hard: true, trim: true }).split('\n');
          const pad = ' '.repeat(label - stringWidth(h));
          return lines.map((l, n) => `  ${n === 0 ? h + pad : ' '.repeat(label)}${l}`.trimEnd()).join('\n');
        }),
      ].join('\n'),
    )
    .join('\n\n');
}

export function formatMarkdownTable(header: string[], rows: string[][]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/**
 * The columns a table may use: the terminal's, else $COLUMNS; undefined for a pipe or a file with no $COLUMNS (one
 * line per row there, as grep and friends expect).
 */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number | undefined {
  if (stream.isTTY && stream.columns) return stream.columns;
  const env = Number(process.env.COLUMNS);
  return Number.isInteger(env) && env >= 40 ? env : undefined;
}
