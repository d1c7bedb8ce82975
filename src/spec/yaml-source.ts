import { createRequire } from 'node:module';
import type { Document } from 'yaml';
import { HarnessError } from '../core/errors.ts';
import { parsePointer } from '../core/json-pointer.ts';

/** A parsed YAML/JSON file that can still say which line a JSON pointer points at. */
export interface SourceDocument {
  file: string;
  data: Record<string, unknown>;
  lineOf(pointer: string): number | undefined;
}

/**
 * Parses a spec's text, keeping what is needed to name a line. `cached`: the data this very text parsed to before
 * (spec/parse-cache.ts) — then the YAML is parsed again only if a line is asked for (an error message).
 */
export function parseSourceDocument(file: string, text: string, cached?: Record<string, unknown>): SourceDocument {
  if (cached) {
    let parsed: SourceDocument | undefined;
    return { file, data: cached, lineOf: (pointer) => (parsed ??= parseYaml(file, text)).lineOf(pointer) };
  }
  return parseYaml(file, text);
}

/** the YAML library, loaded on the first parse: a start whose specs come from the parse cache never loads it */
let yamlLibrary: typeof import('yaml') | undefined;
const yaml = () => (yamlLibrary ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));

function parseYaml(file: string, text: string): SourceDocument {
  const { LineCounter, parseDocument, isNode } = yaml();
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    throw new HarnessError(
      'SPEC_PARSE',
      `not valid YAML${line ? ` at line ${line}` : ''}: ${first.message.split('\n')[0]}`,
      {
        file,
        fix: 'correct the YAML syntax at that line (indentation, quotes, a duplicate key)',
      },
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // yaml refuses aliases that expand past maxAliasCount (a "billion laughs" document) with a ReferenceError
    throw new HarnessError('SPEC_PARSE', `not a usable YAML document: ${(err as Error).message}`, {
      file,
      fix: 'expand the aliases (&anchor / *alias) by hand: a spec needs few, and none that nest',
    });
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new HarnessError('SPEC_PARSE', 'the document is not a mapping (an OpenAPI object)', {
      file,
      pointer: '',
      fix: 'start the file with `openapi: 3.1.0`',
    });
  }
  return {
    file,
    data: data as Record<string, unknown>,
    lineOf(pointer) {
      let parts = parsePointer(pointer);
      // Walk up until a node exists: an error about a missing key points at its parent.
      while (parts.length >= 0) {
        const node = doc.getIn(
          parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
          true,
        );
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
        if (parts.length === 0) return undefined;
        parts = parts.slice(0, -1);
      }
      return undefined;
    },
  };
}
