import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { formatTable } from './table.ts';

const header = ['paid item', 'checks', 'price', 'tonight'];
const rows = [
  ['boundary.conditional.else-not-required', '1', '0.75 USD', 'paid, skipped for budget: due on night 5 (in 4 nights)'],
  ['default-task', '14', '0.375 USD', 'picked'],
  ['提示词.最长', '1', '0.375 USD', '每个生成都按秒计费，超出预算的项目会留到下一晚'],
];
const widest = (text: string) => Math.max(...text.split('\n').map((l) => stringWidth(l)));

describe('formatTable', () => {
  it('fits every width it is given (CJK cells count two columns each)', () => {
    for (let width = 40; width <= 160; width += 7)
      expect(widest(formatTable(header, rows, width))).toBeLessThanOrEqual(width);
  });

  it('keeps the first column (the row ids) whole and gives prose the room it needs, else a block per row', () => {
    const wide = formatTable(header, rows, 110);
    expect(wide).toMatch(/^boundary\.conditional\.else-not-required {2}/m);
    expect(wide).toMatch(/^-+ {2}-+/m);
    // at 80 columns the prose column would get fewer than 20: each row becomes a block
    const narrow = formatTable(header, rows, 80);
    expect(narrow).toMatch(/^boundary\.conditional\.else-not-required$/m);
    expect(narrow).toMatch(/^ {2}tonight +paid, skipped for budget: due on night 5 \(in 4 nights\)$/m);
  });

  it('without a width (a pipe) one line per row', () => {
    expect(formatTable(header, rows).split('\n')).toHaveLength(rows.length + 2);
  });
});
