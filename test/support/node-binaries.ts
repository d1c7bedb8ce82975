// Other Node majors for the packed-package tests: npm's `node-<platform>-<arch>` packages ship the node binary itself
// (bin/node). Each major is installed at test time into node_modules/.cache/kc-test-nodes/<major> (kept: `npm ci`
// empties it with node_modules, so a fresh clone installs each once, from npm's cache where it can) — not as a
// devDependency, whose `node` bin would shadow the Node that runs `npm test` in every npm script.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CACHE = resolve('node_modules/.cache/kc-test-nodes');

export interface NodeBinary {
  major: number;
  /** the folder holding `node`: put first on PATH, `#!/usr/bin/env node` scripts run on this Node */
  binDir: string;
  /** process.version of that binary, e.g. v22.23.5 */
  version: string;
}

/** the Node running the tests, in the same shape */
export function currentNode(): NodeBinary {
  return {
    major: Number(process.versions.node.split('.')[0]),
    binDir: resolve(process.execPath, '..'),
    version: process.version,
  };
}

const versionOf = (node: string) =>
  execFileSync(node, ['-p', 'process.version'], { encoding: 'utf8', timeout: 60_000 }).trim();

/** The newest `major.x` from npm (once per cache), checked to run here and to be that major. */
export async function nodeBinary(major: number): Promise<NodeBinary> {
  const pkg = `node-${process.platform}-${process.arch}`;
  const home = join(CACHE, String(major));
  const binDir = join(home, 'node_modules', pkg, 'bin');
  if (!existsSync(join(binDir, 'node'))) {
    mkdirSync(CACHE, { recursive: true });
    const staging = mkdtempSync(join(CACHE, `.${major}-`));
    try {
      // no timeout of its own: the test awaiting it has one (a timer here could fire late, while a test blocks the
      // event loop with spawnSync, and kill npm as if it had hung)
      await run(
        'npm',
        ['install', `${pkg}@${major}.x`, '--prefix', staging, '--no-save', '--prefer-offline', '--no-audit'],
        { env: { ...process.env, npm_config_fund: 'false', npm_config_loglevel: 'error' } },
      );
      // the docs, headers and npm's own files in the package are not needed: only bin/node is run
      for (const extra of ['include', 'share'])
        rmSync(join(staging, 'node_modules', pkg, extra), { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
      renameSync(staging, home);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  const version = versionOf(join(binDir, 'node'));
  if (!version.startsWith(`v${major}.`)) throw new Error(`${binDir}/node is ${version}, not Node ${major}`);
  return { major, binDir, version };
}

/** the environment of a child that runs on `node`: its folder first on PATH, so `#!/usr/bin/env node` finds it */
export function envFor(node: NodeBinary, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // the installed package reads the specs/ it ships, as a user's install does (not the test run's specs folder)
  const shipped = { KLING_SPECS_DIR: undefined };
  return { ...process.env, ...shipped, PATH: `${node.binDir}:${process.env.PATH ?? ''}`, ...extra };
}
