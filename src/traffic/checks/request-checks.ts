import { getAt } from '../../core/json-pointer.ts';
import type { Finding } from '../../checks/types.ts';
import { inferredConstraint } from '../../checks/sources.ts';
import type { ProviderSpec, Source } from '../../spec/model.ts';
import type { Call } from '../traffic-model.ts';
import { documentedKeys, firstFrameFields } from './body-keys.ts';
import { basisOf, judged, skip, sourceOf, type TrafficCheck } from '../traffic-check.ts';

const creates = (calls: Call[]) => calls.filter((c) => c.operation === 'create');
const at = (c: Call) => `request #${c.index + 1} (${c.method} ${c.path})`;

/**
 * A key the documented schema does not name, in a body the schema leaves open (no `additionalProperties: false`,
 * which the validator already judges): the provider may ignore it or refuse it, no document says which. Our reading
 * is that a client sends only documented fields: an inferred finding (a warning), naming the key. A generic first-frame
 * key is traffic.first_frame's to judge (one mistake, one check), where that check applies.
 */
function undocumentedKeys(spec: ProviderSpec, c: Call): Finding[] {
  const schema = spec.create.requestSchema;
  const body = c.json;
  if (!schema || schema.additionalProperties === false || !body || typeof body !== 'object' || Array.isArray(body))
    return [];
  const known = documentedKeys(schema);
  const frame = firstFrameFields(spec);
  const judgedAsFrame = new Set(
    spec.x.firstFrame.outcome === 'accept' ? [] : [...frame.generic, ...frame.declared.map((p) => p.slice(1))],
  );
  return Object.keys(body)
    .filter((k) => !known.has(k) && !judgedAsFrame.has(k))
    .map((k) => ({
      kind: 'client' as const,
      client: c.client,
      message:
        `${at(c)}: "${k}" is not a field of the documented request schema (the schema does not close the body, ` +
        'and no document says what the provider does with an unknown key: our reading, a warning)',
      pointer: `/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`,
      observed: (body as Record<string, unknown>)[k],
      inferred: true,
    }));
}

export const requestSchema: TrafficCheck = {
  id: 'traffic.request_schema',
  title: 'every create body is valid against the documented schema and its x- rules',
  basis: (spec) => basisOf(spec, spec.create.requestSchema?.['x-source'] as Source | undefined),
  evaluate(view, validators) {
    const sent = creates(view.calls);
    if (sent.length === 0) return skip('the client sent no create request');
    const findings: Finding[] = [];
    for (const c of sent) {
      if (c.json === undefined) {
        findings.push({
          kind: 'client',
          client: c.client,
          message: `${at(c)}: the body is not JSON`,
          observed: c.requestBody?.slice(0, 200),
        });
        continue;
      }
      for (const d of validators.request(c.json).errors)
        findings.push({
          kind: 'client',
          client: c.client,
          message: `${at(c)}: ${d.pointer || 'body'} ${d.message}`,
          pointer: d.pointer,
          observed: getAt(c.json, d.pointer),
          inferred: inferredConstraint(view.spec, d.pointer),
        });
      findings.push(...undocumentedKeys(view.spec, c));
    }
    const schema = view.spec.create.requestSchema?.['x-source'] as Parameters<typeof sourceOf>[1];
    return judged(
      findings,
      `${sent.length} create bodies, all valid, none with an undocumented key (first-frame keys: traffic.first_frame)`,
      sourceOf(view.spec, schema),
      {
        creates: sent.length,
      },
    );
  },
};

export const authHeader: TrafficCheck = {
  id: 'traffic.auth_header',
  title: 'every API request carries the documented auth header form',
  basis: (spec) => basisOf(spec, spec.x.auth.source),
  evaluate(view) {
    const auth = view.spec.x.auth;
    const inferred = authHeader.basis(view.spec).confidence !== 'documented';
    const api = view.calls.filter((c) => c.operation !== 'download' && c.operation !== 'other');
    if (api.length === 0) return skip('the client sent no request to the provider API');
    const findings = api.flatMap((c): Finding[] => {
      const value = c.requestHeaders.get(auth.header.toLowerCase());
      if (value === undefined)
        return [
          {
            kind: 'client',
            client: c.client,
            message: `${at(c)} has no ${auth.header} header`,
            expected: `${auth.prefix}<key>`,
            inferred,
          },
        ];
      if (!value.startsWith(auth.prefix) || !value.slice(auth.prefix.length).trim())
        return [
          {
            kind: 'client',
            client: c.client,
            message: `${at(c)}: ${auth.header} is not "${auth.prefix}<credential>"`,
            expected: `${auth.prefix}<credential>`,
            observed: value.replace(/\S{4,}$/, '…'),
            inferred,
          },
        ];
      return [];
    });
    return judged(
      findings,
      `${api.length} requests, each with ${auth.header}: ${auth.prefix}<credential>`,
      sourceOf(view.spec, auth.source),
    );
  },
};
