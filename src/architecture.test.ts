import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The pipeline order from ARCHITECTURE.md: a folder may import only from itself and folders before it. The worker side
// (code that runs inside the vitest workers) comes before the runner that starts them: the runner may name its types,
// a worker never reaches back into the parent process's code.
const ORDER = [
  'core',
  'spec',
  'generated',
  'validate',
  'cases',
  'har',
  'faults',
  'mock',
  'client',
  'testing',
  'checks',
  'report',
  'worker',
  'traffic',
  'run',
  'drift',
  'proxy',
  'docs',
  'cli',
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory()
      ? files(path)
      : path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.test-support.ts')
        ? [path]
        : [];
  });
}

describe('the dependency rule', () => {
  it('nothing earlier in the pipeline imports anything later', () => {
    const violations: string[] = [];
    for (const file of files('src')) {
      const stage = file.split('/')[1]!;
      if (!ORDER.includes(stage)) continue;
      for (const [, target] of readFileSync(file, 'utf8').matchAll(/from '\.\.\/(?:\.\.\/)?([a-z-]+)\//g)) {
        if (ORDER.includes(target!) && ORDER.indexOf(target!) > ORDER.indexOf(stage))
          violations.push(`${file} imports ${target}/`);
      }
    }
    expect(violations).toEqual([]);
  });
});
