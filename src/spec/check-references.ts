import { HarnessError } from '../core/errors.ts';
import { getAt, hasAt, formatPointer } from '../core/json-pointer.ts';
import type { Conformance } from './model.ts';
import { schemaPointerOf } from './field-schema.ts';
import type { SourceDocument } from './yaml-source.ts';
import { EVENT_VARIABLES, TEMPLATE_VARIABLES, templateProblems } from './template-variables.ts';

/** Stops at the first dangling reference: its pointer (and line), what is wrong, and the fix. */
export type Fail = (pointer: string, message: string, fix: string) => never;

/**
 * What neither schema can check: names that must point at something else in the same document.
 * Each failure says which pointer is dangling and what it should name.
 */
export function checkReferences(source: SourceDocument, folderName: string | undefined): void {
  const doc = source.data;
  const x = doc['x-conformance'] as Conformance;
  const fail: Fail = (pointer, message, fix) => {
    const line = source.lineOf(pointer);
    throw new HarnessError('SPEC_INVALID', `${message}${line ? ` (line ${line})` : ''}`, {
      file: source.file,
      pointer,
      fix,
    });
  };
  if (folderName !== undefined && x.provider.id !== folderName) {
    fail(
      '/x-conformance/provider/id',
      `provider id "${x.provider.id}" differs from its folder "${folderName}"`,
      `rename the folder or set provider.id to "${folderName}"`,
    );
  }
  for (const check of [sourceRefs, operations, templates, callbackEvents, requestFields, schemasAndStatuses])
    check(doc, x, fail);
}

/** Every source reference names a declared source; at most one claim of a fact is the mock's. */
export function sourceRefs(doc: Record<string, unknown>, x: Conformance, fail: Fail): void {
  walk(doc, [], (node, path) => {
    const last = path[path.length - 1];
    if ((last === 'source' || last === 'x-source' || last === 'x-rule-source') && node && typeof node === 'object') {
      const ref = (node as { ref?: unknown }).ref;
      if (typeof ref !== 'string' || !(ref in x.sources)) {
        fail(
          formatPointer([...path, 'ref']),
          `source ref "${String(ref)}" is not declared in x-conformance.sources`,
          `declare it under x-conformance.sources or use one of: ${Object.keys(x.sources).join(', ')}`,
        );
      }
    }
    if (last === 'default' || last === 'claims' || last === 'code' || last === 'lifetimeSeconds') {
      if (Array.isArray(node) && node.filter((c) => (c as { mock?: boolean })?.mock).length > 1) {
        fail(
          formatPointer(path),
          'more than one claim is marked mock: true',
          'mark exactly one claim as the one the mock follows',
        );
      }
    }
  });
}

/** Every declared operation exists under paths, with the responses its use needs. */
export function operations(doc: Record<string, unknown>, x: Conformance, fail: Fail): void {
  for (const [key, op] of Object.entries(x.operations)) {
    if (!op) continue;
    if (!findOperation(doc, op.operationId)) {
      fail(
        `/x-conformance/operations/${key}/operationId`,
        `no operation with operationId "${op.operationId}" under paths`,
        'set operationId on the matching path operation',
      );
    }
  }

  if ((x.lifecycle.resultFrom ?? 'poll') === 'result' && !x.operations.result) {
    fail(
      '/x-conformance/lifecycle/resultFrom',
      'lifecycle.resultFrom is "result" but no result operation is declared',
      'declare operations.result (operationId, taskId) or read the result URL from the poll body',
    );
  }
  if (x.operations.result && !x.responses.result)
    fail(
      '/x-conformance/responses',
      'operations.result is declared but responses.result (its body template) is not',
      'add responses.result: the body the result operation returns for a finished task',
    );
  if (x.operations.cancel && !x.responses.cancel)
    fail(
      '/x-conformance/responses',
      'operations.cancel is declared but responses.cancel (its status and body) is not',
      'add responses.cancel: { status, body }',
    );
}

/** Every response template names only known placeholders and formats (an unknown one would render as nothing). */
export function templates(_doc: Record<string, unknown>, x: Conformance, fail: Fail): void {
  const withEvent = { ...TEMPLATE_VARIABLES, ...EVENT_VARIABLES };
  const templates: [string, unknown, Record<string, string>][] = [
    ['/x-conformance/responses', x.responses, TEMPLATE_VARIABLES],
    ...Object.entries(x.errors).map(
      ([status, decl]) =>
        [`/x-conformance/errors/${status}/body`, decl.body, TEMPLATE_VARIABLES] as [string, unknown, typeof withEvent],
    ),
    // a test event concerns no task: it may name the event's placeholders only
    ...Object.entries(x.callbacks?.payload?.events ?? {}).map(
      ([end, event]) =>
        [
          `/x-conformance/callbacks/payload/events/${end}/body`,
          event.body,
          end === 'test' ? EVENT_VARIABLES : withEvent,
        ] as [string, unknown, typeof withEvent],
    ),
  ];
  for (const [base, template, variables] of templates) {
    const problem = templateProblems(template, '', variables)[0];
    if (problem)
      fail(
        base + problem.pointer,
        problem.message,
        'fix the placeholder; docs/spec-format.md lists every template variable and format',
      );
  }
}

/** A callback event body names one of the documented events (callbacks.events). */
export function callbackEvents(_doc: Record<string, unknown>, x: Conformance, fail: Fail): void {
  for (const [end, event] of Object.entries(x.callbacks?.payload?.events ?? {}))
    if (!x.callbacks!.events.includes(event.type))
      fail(
        `/x-conformance/callbacks/payload/events/${end}/type`,
        `callback event "${event.type}" is not one of callbacks.events (${x.callbacks!.events.join(', ')})`,
        'name a documented event, or add it to callbacks.events with its source',
      );
  redeliverySchedule(x, fail);
}

/** Redelivery needs its schedule, and a documented count of retries must be the schedule's length. */
function redeliverySchedule(x: Conformance, fail: Fail): void {
  const callbacks = x.callbacks;
  if (callbacks?.redelivery && !callbacks.retryDelaysSeconds?.length)
    fail(
      '/x-conformance/callbacks/redelivery',
      'callbacks.redelivery is declared but callbacks.retryDelaysSeconds (the waits before each redelivery) is not',
      'add retryDelaysSeconds with its source, or remove redelivery (the mock then delivers once)',
    );
  if (
    callbacks?.retries !== undefined &&
    callbacks.retryDelaysSeconds &&
    callbacks.retries !== callbacks.retryDelaysSeconds.length
  )
    fail(
      '/x-conformance/callbacks/retries',
      `callbacks.retries is ${callbacks.retries} but retryDelaysSeconds lists ` +
        `${callbacks.retryDelaysSeconds.length} waits`,
      'make the count and the schedule agree (one wait per retry)',
    );
}

/** Settings and prompt fields are properties of the create request schema. */
export function requestFields(doc: Record<string, unknown>, x: Conformance, fail: Fail): void {
  const requestSchemaPointer = findOperation(doc, x.operations.create.operationId)!.requestSchemaRef;
  for (const [name, setting] of Object.entries(x.settings)) {
    if (!requestSchemaPointer || !hasAt(doc, requestSchemaPointer + schemaPointerOf(setting.field))) {
      fail(
        `/x-conformance/settings/${name}/field`,
        `setting field ${setting.field} is not a property of the create request schema`,
        'point field at a property of the request body (JSON pointer into the body)',
      );
    }
  }
  for (const [i, pointer] of [x.prompt.field, ...(x.prompt.alternatives ?? [])].entries()) {
    if (!requestSchemaPointer || !hasAt(doc, requestSchemaPointer + schemaPointerOf(pointer))) {
      fail(
        i === 0 ? '/x-conformance/prompt/field' : `/x-conformance/prompt/alternatives/${i - 1}`,
        `prompt field ${pointer} is not a property of the create request schema`,
        'point at the request property that carries the prompt',
      );
    }
  }
}

/** Alternative schemas and status schemas exist; lifecycle status words are declared statuses. */
export function schemasAndStatuses(doc: Record<string, unknown>, x: Conformance, fail: Fail): void {
  for (const [i, alt] of (x.alternatives ?? []).entries()) {
    if (!hasAt(doc, alt.pointer))
      fail(
        `/x-conformance/alternatives/${i}/pointer`,
        `${alt.pointer} does not exist in the document`,
        'point at the schema the claims replace',
      );
    if (
      alt.field !== undefined &&
      !hasAt(
        doc,
        (findOperation(doc, x.operations.create.operationId)?.requestSchemaRef ?? '') + schemaPointerOf(alt.field),
      )
    )
      fail(
        `/x-conformance/alternatives/${i}/field`,
        `${alt.field} is not a property of the create request schema`,
        'point field at the request body property the claims are about (JSON pointer into the body)',
      );
  }
  for (const [status, decl] of Object.entries(x.lifecycle.statuses)) {
    if (!hasAt(doc, decl.schema.slice(1)))
      fail(
        `/x-conformance/lifecycle/statuses/${status}/schema`,
        `${decl.schema} does not exist in the document`,
        'point at a schema under #/components/schemas',
      );
  }
  for (const key of ['initial', 'running', 'succeeded', 'failed'] as const) {
    if (x.lifecycle[key] !== undefined && !(x.lifecycle[key] in x.lifecycle.statuses))
      fail(
        `/x-conformance/lifecycle/${key}`,
        `status "${x.lifecycle[key]}" is not one of lifecycle.statuses`,
        `use one of: ${Object.keys(x.lifecycle.statuses).join(', ')}`,
      );
  }
}

function walk(
  node: unknown,
  path: (string | number)[],
  visit: (node: unknown, path: (string | number)[]) => void,
): void {
  visit(node, path);
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) walk(v, [...path, Array.isArray(node) ? Number(k) : k], visit);
  }
}

/** Finds an operation by operationId; also returns the pointer of its JSON request schema (after one $ref hop). */
export function findOperation(
  doc: Record<string, unknown>,
  operationId: string,
): { path: string; method: string; pointer: string; requestSchemaRef?: string } | undefined {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, { operationId?: string }>>;
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (op?.operationId !== operationId) continue;
      const pointer = formatPointer(['paths', path, method]);
      let schemaPointer = `${pointer}/requestBody/content/application~1json/schema`;
      const ref = (getAt(doc, schemaPointer) as { $ref?: string } | undefined)?.$ref;
      if (ref?.startsWith('#/')) schemaPointer = ref.slice(1);
      return { path, method, pointer, requestSchemaRef: hasAt(doc, schemaPointer) ? schemaPointer : undefined };
    }
  }
  return undefined;
}
