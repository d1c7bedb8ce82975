import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext its default export arrives as `.default`.
type AddFormats = (ajv: Ajv2020) => Ajv2020;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  addFormatsModule) as unknown as AddFormats;

/** OpenAPI 3.1 keywords that are not JSON Schema keywords but may sit in a schema object. */
const OPENAPI_KEYWORDS = ['discriminator', 'xml', 'externalDocs', 'example'];

/**
 * One configured ajv: draft 2020-12 (OpenAPI 3.1's dialect), all errors, formats, strict mode ON.
 * Instead of switching strict off, the `x-*` keywords a document really uses are declared as vocabulary.
 */
export function createAjv(extraKeywords: Iterable<string> = []): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictRequired: false,
    strictTypes: false,
    allowUnionTypes: true,
  });
  addFormats(ajv);
  ajv.addVocabulary([...new Set([...OPENAPI_KEYWORDS, ...extraKeywords])]);
  return ajv;
}

/** Every `x-*` key used anywhere inside a document. */
export function collectExtensionKeys(doc: unknown, found = new Set<string>(), seen = new Set<object>()): Set<string> {
  if (doc && typeof doc === 'object' && !seen.has(doc)) {
    seen.add(doc);
    for (const [key, value] of Object.entries(doc)) {
      if (key.startsWith('x-')) found.add(key);
      collectExtensionKeys(value, found, seen);
    }
  }
  return found;
}

export type { ErrorObject };
