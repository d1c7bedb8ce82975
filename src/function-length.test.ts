import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** No function in src/ is longer than this many lines (generated code aside): one idea each, named steps. */
const MAX_LINES = 80;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return path === join('src', 'generated') ? [] : files(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

/** every function (declaration, method, arrow, expression) longer than the limit, as `file:line name (n lines)` */
function longFunctions(file: string, text: string, max = MAX_LINES): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const lines = source.getLineAndCharacterOfPosition(node.getEnd()).line - first + 1;
      const name =
        node.name?.getText() ?? (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText() : '(anonymous)');
      if (lines > max) found.push(`${file}:${first + 1} ${name} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('function length', () => {
  it(`no function in src/ is over ${MAX_LINES} lines`, () => {
    expect(files('src').flatMap((f) => longFunctions(f, readFileSync(f, 'utf8')))).toEqual([]);
  });

  it('the measure sees a long arrow function and a long method', () => {
    const body = Array.from({ length: 80 }, (_, i) => `  x${i}();`).join('\n');
    expect(longFunctions('a.ts', `const f = () => {\n${body}\n};`)).toEqual(['a.ts:1 f (82 lines)']);
    expect(longFunctions('b.ts', `class C {\n  m() {\n${body}\n  }\n}`)).toEqual(['b.ts:2 m (82 lines)']);
    expect(longFunctions('c.ts', `function g() {\n${body.split('\n').slice(2).join('\n')}\n}`)).toEqual([]);
  });
});
