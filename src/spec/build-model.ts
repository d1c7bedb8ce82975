import { Validator } from '@seriousme/openapi-schema-validator';
import { getAt, setAt } from '../core/json-pointer.ts';
import { pickClaim } from './claims.ts';
import { findOperation } from './check-references.ts';
import type { ClaimChoice, Conformance, JsonSchema, OperationModel, ProviderSpec } from './model.ts';
import type { SourceDocument } from './yaml-source.ts';

/** Builds the provider model from a validated document, following `choice` where documents disagree. */
export function buildSpecModel(source: SourceDocument, dir: string, choice: ClaimChoice): ProviderSpec {
  const raw = source.data;
  const x = raw['x-conformance'] as Conformance;
  const patched = structuredClone(raw);
  // Competing schema claims (e.g. duration 3-15 vs 6|10) replace the schema at their pointer.
  // the schema at that pointer is then the claim's: it carries the claim's source
  // a `required` list is replaced as it is (a list carries no x-source: the claim keeps it)
  for (const alt of x.alternatives ?? []) {
    const claim = pickClaim(alt.claims, choice);
    setAt(
      patched,
      alt.pointer,
      Array.isArray(claim.value)
        ? structuredClone(claim.value)
        : {
            ...structuredClone(claim.value),
            'x-source': claim.inferred && !claim.source.inferred ? { ...claim.source, inferred: true } : claim.source,
          },
    );
  }
  const resolved = new Validator().resolveRefs({ specification: patched }) as Record<string, unknown>;
  return {
    id: x.provider.id,
    dir,
    file: source.file,
    raw,
    resolved,
    x,
    create: operationModel(raw, resolved, x.operations.create.operationId),
    poll: operationModel(raw, resolved, x.operations.poll.operationId),
    operations: Object.fromEntries(
      (['poll', 'result', 'cancel'] as const).flatMap((name) =>
        x.operations[name] ? [[name, operationModel(raw, resolved, x.operations[name].operationId)]] : [],
      ),
    ),
  };
}

/** The same provider with the other claims chosen (for mocks that follow the other document). */
export function withClaims(spec: ProviderSpec, choice: ClaimChoice): ProviderSpec {
  return buildSpecModel({ file: spec.file, data: spec.raw, lineOf: () => undefined }, spec.dir, choice);
}

function operationModel(
  raw: Record<string, unknown>,
  resolved: Record<string, unknown>,
  operationId: string,
): OperationModel {
  const found = findOperation(raw, operationId)!;
  const op = getAt(resolved, found.pointer) as {
    requestBody?: { content?: Record<string, { schema?: JsonSchema; examples?: Record<string, { value: unknown }> }> };
    responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
  };
  const json = op.requestBody?.content?.['application/json'];
  const responses: Record<string, JsonSchema | undefined> = {};
  for (const [status, response] of Object.entries(op.responses ?? {}))
    responses[status] = response.content?.['application/json']?.schema;
  return {
    operationId,
    method: found.method.toUpperCase() as OperationModel['method'],
    path: found.path,
    requestSchema: json?.schema,
    requestSchemaPointer: found.requestSchemaRef,
    responses,
    examples: Object.entries(json?.examples ?? {}).map(([name, ex]) => ({ name, value: ex.value })),
  };
}
