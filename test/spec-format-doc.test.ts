// docs/spec-format.md is the reference a person adds a provider from: it must name every key of the
// x-conformance schema and every template placeholder and format the loader accepts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_FORMATS, TEMPLATE_VARIABLES } from '../src/spec/template-variables.ts';

const doc = readFileSync('docs/spec-format.md', 'utf8');
type Schema = { properties?: Record<string, Schema>; $defs?: Record<string, Schema>; oneOf?: Schema[] };
const schema = createRequire(import.meta.url)('../src/spec/x-conformance.schema.json') as Schema;
const keys = (s: Schema | undefined) => Object.keys(s?.properties ?? {});

describe('docs/spec-format.md', () => {
  it(
    'documents every x-conformance key, and the keys of auth, operations, ' + 'lifecycle, errors, retry and responses',
    () => {
      const missing: string[] = [];
      // the key inside some code span of the document
      const spans = [...doc.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      const need = (k: string, where: string) =>
        !spans.some((s) => new RegExp(`(^|[^\\w])${k}([^\\w]|$)`).test(s)) && missing.push(`${where}${k}`);
      for (const k of keys(schema)) need(k, '');
      for (const block of [
        'auth',
        'lifecycle',
        'responses',
        'provider',
        'prompt',
        'invalidRequest',
        'pricing',
        'callbacks',
        'idempotency',
      ])
        for (const k of keys(schema.properties![block])) need(k, `${block}.`);
      for (const k of keys(schema.properties!.operations!.properties!.poll)) need(k, 'operations.poll.');
      for (const k of keys(schema.$defs!.errorDecl)) need(k, 'errors.*.');
      for (const k of keys(schema.$defs!.retryAdvice)) need(k, 'retry.*.');
      for (const k of keys(schema.$defs!.setting)) need(k, 'settings.*.');
      for (const variant of schema.properties!.auth!.properties!.credential!.oneOf!)
        for (const k of keys(variant)) need(k, 'auth.credential.');
      for (const k of keys(schema.properties!.auth!.properties!.conditions)) need(k, 'auth.conditions.');
      expect(missing).toEqual([]);
    },
  );

  it('lists every template placeholder and format', () => {
    for (const name of Object.keys(TEMPLATE_VARIABLES)) expect(doc, name).toContain(`{{${name}}}`);
    for (const format of Object.keys(TEMPLATE_FORMATS)) expect(doc, format).toContain(`| \`${format}\` |`);
  });
});
