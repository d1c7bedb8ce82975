import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { cacheDir, shippedCacheDir } from '../core/cache-dir.ts';
import { makeFolder } from '../core/make-folder.ts';

type Validate = ReturnType<Ajv2020['compile']>;
const require = createRequire(import.meta.url);
const MAX_ENTRY_BYTES = 8 * 1024 * 1024;
/** the ajv that wrote a cached validator: another version compiles afresh */
let version: string | undefined;
const ajvVersion = () => (version ??= (require('ajv/package.json') as { version: string }).version);

/**
 * Compiled request and response validators kept between runs as ajv standalone code, by the SHA-256 of the schema
 * and the vocabulary it was compiled with: a CLI start then loads a few KB of code instead of the compiler and a
 * compile. The code is run with this module's `require`, so it reaches the very ajv and ajv-formats this package uses.
 * A cache that cannot be read or written is just not used.
 */
export function cachedValidator(
  schema: unknown,
  keywords: readonly string[],
  compile: () => { validate: Validate; source?: string },
): Validate {
  const dir = cacheDir();
  const shipped = shippedCacheDir();
  if (!dir && !shipped) return compile().validate;
  const key = createHash('sha256')
    .update(`${JSON.stringify(schema)}\0${[...keywords].sort().join(',')}\0standalone-v1\0${ajvVersion()}`)
    .digest('hex');
  for (const from of [dir, shipped]) {
    const validate = from === undefined ? undefined : readValidator(join(from, 'validators', `${key}.cjs`));
    if (validate) return validate;
  }
  const { validate, source } = compile();
  if (source && dir) {
    const file = join(dir, 'validators', `${key}.cjs`);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      makeFolder(join(dir, 'validators'));
      writeFileSync(tmp, source);
      renameSync(tmp, file);
    } catch {
      // a read-only or full disk: the next run compiles again
    }
  }
  return validate;
}

/** A cached validator, or undefined where there is none or it cannot be read or run (it is compiled again). */
function readValidator(file: string): Validate | undefined {
  try {
    if (!existsSync(file) || statSync(file).size > MAX_ENTRY_BYTES) return undefined;
    const module = { exports: {} as unknown };
    new Function('module', 'exports', 'require', readFileSync(file, 'utf8'))(module, module.exports, require);
    return typeof module.exports === 'function' ? (module.exports as Validate) : undefined;
  } catch {
    return undefined;
  }
}
