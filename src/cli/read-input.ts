import { readFileSync } from 'node:fs';
import { HarnessError } from '../core/errors.ts';

/** Reads a JSON body from --body, --file or stdin ('-'), with a harness error that says where parsing failed. */
export function readJsonInput(options: { body?: string; file?: string; stdin?: boolean }): unknown {
  let text: string;
  let where: string;
  if (options.body !== undefined) {
    text = options.body;
    where = '--body';
  } else if (options.file !== undefined) {
    where = options.file;
    try {
      text = readFileSync(options.file, 'utf8');
    } catch {
      throw new HarnessError('INPUT', `cannot read ${options.file}`, { file: options.file, fix: 'check the path' });
    }
  } else if (options.stdin) {
    text = readFileSync(0, 'utf8');
    where = 'stdin';
  } else {
    throw new HarnessError('USAGE', 'no body given', {
      fix: "pass --body '<json>', --file body.json, or - to read standard input",
    });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HarnessError('INPUT', `${where} is not valid JSON: ${(err as Error).message}`, {
      file: where === '--body' ? undefined : where,
      fix: 'pass a JSON object, e.g. {"prompt": "a cat"}',
    });
  }
}
