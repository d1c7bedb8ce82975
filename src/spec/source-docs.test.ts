// Every document a spec cites is one a reader can open: a URL, or a file shipped in the repository and the package
// (the seed pages under seeds/, the facts collected in shared/providers.md), so a drift report's source can be checked.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const specDocs = readdirSync('specs').flatMap((id) => {
  const yaml = parse(readFileSync(`specs/${id}/openapi.yaml`, 'utf8')) as {
    'x-conformance': { sources: Record<string, { doc: string }> };
  };
  return Object.values(yaml['x-conformance'].sources).map((s) => ({ id, doc: s.doc }));
});

describe("specs' sources", () => {
  it('name a URL or a file shipped in the repository and the package', () => {
    const files = (JSON.parse(readFileSync('package.json', 'utf8')) as { files: string[] }).files;
    const local = specDocs.filter((s) => !/^https?:\/\//.test(s.doc));
    expect(local.map((s) => s.doc)).toContain('seeds/002_295502d68803a7a5.txt');
    for (const { id, doc } of local) {
      expect(existsSync(doc), `${id}: ${doc}`).toBe(true);
      expect(files, `${id}: ${doc}`).toContain(`${doc.split('/')[0]}/`);
    }
  });
});
