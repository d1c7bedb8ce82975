import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject } from 'ajv/dist/2020.js';

// ajv and ajv-formats are CommonJS, loaded on the first createAjv(): a start that finds its validators precompiled
// or cached (validate/validator-cache.ts) never loads the compiler
const require = createRequire(import.meta.url);
type AddFormats = (ajv: Ajv2020) => Ajv2020;
let loaded: { Ajv: typeof Ajv2020; addFormats: AddFormats; formatsCode: unknown } | undefined;
function ajvLibrary() {
  if (!loaded) {
    const { _ } = require('ajv') as typeof import('ajv');
    loaded = {
      Ajv: (require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')).Ajv2020,
      addFormats: require('ajv-formats') as AddFormats,
      // standalone code reaches the format functions through this require
      formatsCode: _`require("ajv-formats/dist/formats").fullFormats`,
    };
  }
  return loaded;
}

/** OpenAPI 3.1 keywords that are not JSON Schema keywords but may sit in a schema object. */
const OPENAPI_KEYWORDS = ['discriminator', 'xml', 'externalDocs', 'example'];

/**
 * One configured ajv: draft 2020-12 (OpenAPI 3.1's dialect), all errors, formats, strict mode ON.
 * Instead of switching strict off, the `x-*` keywords a document really uses are declared as vocabulary.
 */
export function createAjv(extraKeywords: Iterable<string> = [], options: { standalone?: boolean } = {}): Ajv2020 {
  const { Ajv, addFormats, formatsCode } = ajvLibrary();
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    strictRequired: false,
    strictTypes: false,
    allowUnionTypes: true,
    // keep each validator's source, for standalone code (validate/validator-cache.ts)
    ...(options.standalone ? { code: { source: true, formats: formatsCode as never } } : {}),
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
