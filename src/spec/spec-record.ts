import { specDigest } from './load-spec.ts';
import type { ProviderSpec } from './model.ts';

/**
 * Which spec a run read, for its results.json: the document's info.version and a digest of its parsed document (an
 * edit that keeps the version still shows), so a comparison of two runs can say when the documents changed between.
 */
export function specRecord(spec: ProviderSpec): { version: string; digest: string } {
  const version = (spec.raw.info as { version?: unknown } | undefined)?.version;
  return {
    version: typeof version === 'string' ? version : 'unversioned',
    digest: specDigest(JSON.stringify(spec.raw)),
  };
}
