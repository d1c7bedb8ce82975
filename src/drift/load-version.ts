import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HarnessError } from '../core/errors.ts';
import { loadSpec, SPEC_FILE } from '../spec/load-spec.ts';
import type { ProviderSpec } from '../spec/model.ts';

/**
 * One version of a spec: a folder (`specs/x`), or a git revision of one (`HEAD~3:specs/x`, `v1.2:specs/x`).
 * The folder name need not be the provider id here (fixtures keep old/ and new/ side by side).
 */
export async function loadSpecVersion(ref: string): Promise<ProviderSpec> {
  if (existsSync(ref)) return loadSpec(ref, { requireFolderName: false });
  const m = /^([^:]+):(.+)$/.exec(ref);
  if (!m)
    throw new HarnessError('USAGE', `${ref} is neither a spec folder nor REV:PATH`, {
      fix: 'pass a folder (specs/evolink-kling-v3-t2v) or a git revision and path (HEAD~1:specs/evolink-kling-v3-t2v)',
    });
  const [, rev, path] = m as unknown as [string, string, string];
  let text: string;
  try {
    text = execFileSync('git', ['show', `${rev}:${path.replace(/\/$/, '')}/${SPEC_FILE}`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    throw new HarnessError(
      'INPUT',
      `git cannot show ${rev}:${path}/${SPEC_FILE}: ${
        String((err as { stderr?: string }).stderr ?? err)
          .trim()
          .split('\n')[0]
      }`,
      { fix: 'check the revision and the path (relative to the repository root)' },
    );
  }
  // the revision's text in a folder of its own while it is loaded, removed after
  const root = mkdtempSync(join(tmpdir(), 'kc-spec-'));
  try {
    const dir = join(root, 'spec');
    mkdirSync(dir);
    writeFileSync(join(dir, SPEC_FILE), text);
    return await loadSpec(dir, { requireFolderName: false });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
