import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

const GAP = 2;
/** no column is squeezed narrower than this to fit a terminal (a longer word breaks across lines) */
const MIN_COLUMN = 6;
/** a word longer than this may still be broken to make a table fit */
const MAX_WORD = 30;
/** the first column names the row (an id): it is kept whole up to this width */
const MAX_ID = 40;
/**
 * The widest column, when it is prose, is not squeezed narrower than this: below it, a block per row reads better
 * than a few words a line.
 */
const MIN_PROSE = 20;

/**
 * A plain-text table for terminals: columns padded to their widest cell (display width: CJK and emoji take two
 * columns). Given `maxWidth` (a terminal's columns), the widest columns give way until the table fits, and their
 * cells wrap onto more lines instead of running past the edge; where even that cannot fit, each row becomes a block.
 */
export function formatTable(header: string[], rows: string[][], maxWidth?: number): string {
  const natural = header.map((h, i) => Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r[i] ?? ''))));
  const widest = natural.indexOf(Math.max(...natural));
  const floor = header.map((h, i) =>
    columnFloor(natural[i]!, [h, ...rows.map((r) => r[i] ?? '')], { id: i === 0, widest: i === widest }),
  );
  const budget = (maxWidth ?? 0) - GAP * (header.length - 1);
  if (maxWidth && floor.reduce((a, b) => a + b, 0) > budget) return formatRecords(header, rows, maxWidth);
  const widths = maxWidth ? fitWidths(natural, budget, floor) : natural;
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
 * Narrows columns until they fit `budget`: first the one with most room above its floor (so ids and other single
 * words stay whole), then, if that is not enough, the widest, down to MIN_COLUMN.
 */
function fitWidths(natural: number[], budget: number, floor: number[]): number[] {
  const widths = [...natural];
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

/**
 * How narrow a column (header first, then its cells) may get: its words whole (up to MAX_WORD; the first column's
 * ids up to MAX_ID), and the widest column, when it is prose, no narrower than MIN_PROSE.
 */
function columnFloor(natural: number, column: string[], is: { id: boolean; widest: boolean }): number {
  const words = column.map((c) => c.split(/\s+/));
  const longest = Math.max(...words.flat().map((w) => stringWidth(w)));
  const prose = words.slice(1).some((w) => w.length > 1);
  const least = Math.max(MIN_COLUMN, Math.min(longest, is.id ? MAX_ID : MAX_WORD), prose && is.widest ? MIN_PROSE : 0);
  return Math.min(natural, least);
}

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
