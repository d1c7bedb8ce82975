import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where things are, whether this module runs from the sources (src/core/, through tsx or vitest) or from the build
 * (dist/src/core/, as an installed package runs it): the compiled tree mirrors the source tree one level deeper, and
 * the data (package.json, specs/, fixtures/videos/) stays at the package root beside both.
 */
const here = dirname(fileURLToPath(import.meta.url));

/** The folder holding src/ and suites/: the package root from source, dist/ from the build. */
export const CODE_ROOT = resolve(here, '../..');

/** How this code's modules end: .ts from source, .js from the build (suite files are picked to match). */
export const CODE_EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'kling-conformance'
    )
      return dir;
    if (dirname(dir) === dir) throw new Error(`kling-conformance: no package.json of this package above ${from}`);
  }
}

/** The package root: package.json, specs/, fixtures/videos/. */
export const PACKAGE_ROOT = findPackageRoot(CODE_ROOT);

/** This package's version, from its package.json. */
export const packageVersion = (): string =>
  (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
