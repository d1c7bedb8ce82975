// The cross-reference steps of a spec, each alone on a real document with one reference broken: which pointer each
// names, and that the shipped document passes every step.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  callbackEvents,
  findOperation,
  operations,
  requestFields,
  schemasAndStatuses,
  sourceRefs,
  templates,
  type Fail,
} from './check-references.ts';
import type { Conformance } from './model.ts';

type Doc = Record<string, unknown> & { 'x-conformance': Conformance };
const shipped = parse(readFileSync('specs/evolink-kling-v3-t2v/openapi.yaml', 'utf8')) as Doc;
const document = () => structuredClone(shipped);
const fail: Fail = (pointer, message) => {
  throw new Error(`${pointer}: ${message}`);
};
type Step = (doc: Record<string, unknown>, x: Conformance, fail: Fail) => void;
/** the pointer and message a step fails with on the document after `edit`, or undefined when it passes */
function failure(step: Step, edit: (doc: Doc, x: Conformance) => void = () => {}) {
  const doc = document();
  edit(doc, doc['x-conformance']);
  try {
    step(doc, doc['x-conformance'], fail);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

describe('checkReferences, step by step', () => {
  it('the shipped document passes every step', () => {
    for (const step of [sourceRefs, operations, templates, requestFields, schemasAndStatuses])
      expect(failure(step), step.name).toBeUndefined();
  });

  it('source refs: an undeclared source, and two claims both marked as the mock’s', () => {
    expect(failure(sourceRefs, (_d, x) => void (x.sources = {}))).toMatch(/\/ref: source ref "\w+" is not declared/);
    const twoMocks = failure(sourceRefs, (_d, x) => {
      const claims = Object.values(x.settings)[0]!.default;
      claims.push({ ...claims[0]!, mock: true }, { ...claims[0]!, mock: true });
    });
    expect(twoMocks).toMatch(/^\/x-conformance\/settings\/\w+\/default: more than one claim is marked mock: true/);
  });

  it('operations: an operationId no path declares; a cancel operation without its answer', () => {
    expect(failure(operations, (_d, x) => void (x.operations.create.operationId = 'nowhere'))).toMatch(
      /^\/x-conformance\/operations\/create\/operationId: no operation with operationId "nowhere"/,
    );
    expect(
      failure(operations, (_d, x) => {
        x.operations.cancel = { ...x.operations.poll };
        delete (x.responses as { cancel?: unknown }).cancel;
      }),
    ).toMatch(/^\/x-conformance\/responses: operations\.cancel is declared but responses\.cancel/);
  });

  it('templates: an unknown placeholder is named at its pointer', () => {
    const message = failure(templates, (_d, x) => void ((x.responses as Record<string, unknown>).kc = '{{nope}}'));
    expect(message).toMatch(/^\/x-conformance\/responses\/kc: /);
  });

  it('request fields: a setting or prompt field that is no property of the create request schema', () => {
    const setting = failure(requestFields, (_d, x) => void (Object.values(x.settings)[0]!.field = '/kc_nowhere'));
    expect(setting).toMatch(/^\/x-conformance\/settings\/\w+\/field: setting field \/kc_nowhere is not a property/);
    const prompt = failure(requestFields, (_d, x) => void (x.prompt.field = '/kc_nowhere'));
    expect(prompt).toMatch(/^\/x-conformance\/prompt\/field: prompt field \/kc_nowhere/);
  });

  it('schemas and statuses: a status schema that does not exist; a lifecycle word that is no declared status', () => {
    const schema = failure(schemasAndStatuses, (_d, x) => {
      const first = Object.values(x.lifecycle.statuses)[0]!;
      first.schema = '#/components/schemas/KcNowhere';
    });
    expect(schema).toMatch(/\/schema: #\/components\/schemas\/KcNowhere does not exist in the document/);
    const word = failure(schemasAndStatuses, (_d, x) => void (x.lifecycle.running = 'kc-running'));
    expect(word).toMatch(/^\/x-conformance\/lifecycle\/running: status "kc-running" is not one of/);
  });

  it('findOperation follows one $ref to the request schema', () => {
    const doc = document();
    const create = findOperation(doc, doc['x-conformance'].operations.create.operationId)!;
    expect(create.method).toBe('post');
    expect(create.requestSchemaRef).toMatch(/^\/components\/schemas\//);
    expect(findOperation(doc, 'nowhere')).toBeUndefined();
  });
});

describe('callback event bodies (callbacks.payload)', () => {
  const toapis = parse(readFileSync('specs/toapis-kling-3.0-turbo/openapi.yaml', 'utf8')) as Doc;
  const check = (step: Step, edit: (x: Conformance) => void) => {
    const doc = structuredClone(toapis);
    edit(doc['x-conformance']);
    try {
      step(doc, doc['x-conformance'], fail);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  };
  const events = (x: Conformance) => x.callbacks!.payload!.events;

  it('may name the event variables; a response may not; an event type is one of callbacks.events', () => {
    expect(check(templates, () => {})).toBeUndefined();
    expect(check(callbackEvents, () => {})).toBeUndefined();
    expect(check(templates, (x) => ((x.responses.create as Record<string, unknown>).event = '{{event.id}}'))).toMatch(
      /^\/x-conformance\/responses\/create\/event: unknown placeholder \{\{event\.id\}\}/,
    );
    expect(
      check(templates, (x) => ((events(x).succeeded!.body as Record<string, unknown>).id = '{{event.nope}}')),
    ).toMatch(/^\/x-conformance\/callbacks\/payload\/events\/succeeded\/body\/id: unknown placeholder/);
    expect(check(callbackEvents, (x) => (events(x).failed!.type = 'generation.oops'))).toMatch(
      /^\/x-conformance\/callbacks\/payload\/events\/failed\/type: callback event "generation.oops" is not one of/,
    );
  });
});
