import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { HarnessError } from '../core/errors.ts';
import { parsePointer } from '../core/json-pointer.ts';

/** A parsed YAML/JSON file that can still say which line a JSON pointer points at. */
export interface SourceDocument {
  file: string;
  data: Record<string, unknown>;
  lineOf(pointer: string): number | undefined;
}

export function parseSourceDocument(file: string, text: string): SourceDocument {
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
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
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
