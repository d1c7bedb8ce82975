import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A validator `npm run build` precompiled beside this module (scripts/precompile-validators.mjs), or undefined when
 * running from the sources, which compile at start instead. Standalone ajv code: same verdicts, same error objects.
 */
export function precompiledValidator<V>(file: string): V | undefined {
  const url = new URL(file, import.meta.url);
  return existsSync(url) ? (require(url.pathname) as V) : undefined;
}
