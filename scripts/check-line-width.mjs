#!/usr/bin/env node
// `npm run lint` (in `npm test`): no line of our code past 120 characters. Biome's formatter keeps code within the
// width but cannot break string literals or comments; this catches those. Generated files (src/generated/: the
// providers' own schema descriptions) are exempt. Lists every long line with its file and line number.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const WIDTH = 120;
const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '*.ts', '*.js', '*.mjs', '*.cjs'], {
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => f && !f.startsWith('src/generated/') && !f.startsWith('dist/'));
const long = files.flatMap((file) => {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return []; // listed but deleted in the work tree
  }
  return text
    .split('\n')
    .flatMap((line, i) => (line.length > WIDTH ? [`${file}:${i + 1}: ${line.length} characters`] : []));
});
if (long.length) {
  process.stderr.write(`${long.join('\n')}\n${long.length} line(s) past ${WIDTH} characters: split the string or `);
  process.stderr.write('comment (the formatter keeps code itself within the width)\n');
  process.exit(1);
}
process.stdout.write(`no line past ${WIDTH} characters in ${files.length} files\n`);
