// Part of `npm run build`: the two schemas every spec load checks against — the OpenAPI 3.1 meta-schema and our
// x-conformance schema — compiled once, at build time, to standalone JavaScript (ajv's standalone code) beside the
// built modules. A CLI start then loads ~40 KB of code instead of compiling both schemas (≈ 300 ms). The sources run
// without them (they compile at start, as before); the build and its tests use them.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { _ } from 'ajv';
import Ajv2020Module from 'ajv/dist/2020.js';
import standaloneModule from 'ajv/dist/standalone/index.js';
import addFormatsModule from 'ajv-formats';

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const standaloneCode = standaloneModule.default ?? standaloneModule;
const addFormats = addFormatsModule.default ?? addFormatsModule;
const require = createRequire(import.meta.url);
// the generated code requires ajv-formats' format functions at run time (ajv-formats is a dependency)
const formats = _`require("ajv-formats/dist/formats").fullFormats`;

/** Writes `<out>`: a CommonJS module exporting the compiled validator of `schema` (errors as ajv gives them). */
function precompile(schema, options, extra, out) {
  const ajv = new Ajv2020({ ...options, code: { source: true, formats } });
  addFormats(ajv);
  extra(ajv);
  writeFileSync(out, standaloneCode(ajv, ajv.compile(schema)));
}

export function precompileValidators(root, dist) {
  // our createAjv (src/core/ajv.ts): the same options and vocabulary
  const extension = JSON.parse(readFileSync(join(root, 'src/spec/x-conformance.schema.json'), 'utf8'));
  precompile(
    extension,
    { allErrors: true, strict: true, strictRequired: false, strictTypes: false, allowUnionTypes: true },
    (ajv) => ajv.addVocabulary(['discriminator', 'xml', 'externalDocs', 'example']),
    join(dist, 'src/spec/x-conformance.validate.cjs'),
  );
  // @seriousme/openapi-schema-validator's own setup of its 3.1 meta-schema (Validator.getAjvValidator)
  const metaSchema = JSON.parse(
    readFileSync(require.resolve('@seriousme/openapi-schema-validator/schemas/v3.1/schema.json'), 'utf8'),
  );
  precompile(
    metaSchema,
    { strict: false },
    (ajv) => ajv.addFormat('media-range', true),
    join(dist, 'src/spec/openapi-3.1.validate.cjs'),
  );
}
