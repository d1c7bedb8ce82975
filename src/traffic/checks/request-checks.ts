import { getAt } from '../../core/json-pointer.ts';
import type { Finding } from '../../checks/types.ts';
import { inferredConstraint } from '../../checks/sources.ts';
import type { Source } from '../../spec/model.ts';
import type { FirstFrameDecl } from '../../spec/request-model.ts';
import type { Call } from '../traffic-model.ts';
import { basisOf, judged, skip, sourceOf, type TrafficCheck } from '../traffic-check.ts';

const creates = (calls: Call[]) => calls.filter((c) => c.operation === 'create');
const at = (c: Call) => `request #${c.index + 1} (${c.method} ${c.path})`;

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
    }
    const schema = view.spec.create.requestSchema?.['x-source'] as Parameters<typeof sourceOf>[1];
    return judged(findings, `${sent.length} create bodies, all valid`, sourceOf(view.spec, schema), {
      creates: sent.length,
    });
  },
};

/** Whether a body carries what the spec's first-frame declaration sets (a URL field, or an item of a list). */
function sendsFirstFrame(body: unknown, decl: FirstFrameDecl): string | undefined {
  for (const [pointer, value] of Object.entries(decl.set)) {
    const sent = getAt(body, pointer);
    if (sent === undefined || sent === null || sent === '') continue;
    if (!Array.isArray(value)) return pointer;
    const marker = value[0] as Record<string, unknown> | string | undefined;
    const items = Array.isArray(sent) ? sent : [];
    const matches = (item: unknown) =>
      typeof marker !== 'object' || marker === null
        ? items.length > 0
        : typeof item === 'object' && item !== null && (item as Record<string, unknown>).type === marker.type;
    if (items.some(matches)) return pointer;
  }
  return undefined;
}

export const firstFrame: TrafficCheck = {
  id: 'traffic.first_frame',
  title: 'no first frame is sent to the text-to-video endpoint',
  basis: (spec) =>
    spec.x.firstFrame.outcome === 'accept'
      ? { confidence: 'not required', source: spec.x.firstFrame.source }
      : basisOf(spec, spec.x.firstFrame.source, spec.x.firstFrame.outcome !== 'reject'),
  evaluate(view) {
    const decl = view.spec.x.firstFrame;
    const source = sourceOf(view.spec, decl.source);
    if (decl.outcome === 'accept')
      return skip(`not applicable: the provider documents a first frame on this endpoint (${source})`);
    const sent = creates(view.calls).filter((c) => c.json !== undefined);
    if (sent.length === 0) return skip('the client sent no create request with a JSON body');
    const inferred = firstFrame.basis(view.spec).confidence !== 'documented';
    const findings = sent.flatMap((c): Finding[] => {
      const pointer = sendsFirstFrame(c.json, decl);
      return pointer
        ? [
            {
              kind: 'client',
              client: c.client,
              message:
                `${at(c)} sends a first frame at ${pointer} to text-to-video (` +
                `${decl.outcome === 'reject' ? `documented: ${decl.status ?? 400}` : 'undocumented behaviour'})`,
              pointer,
              inferred,
            },
          ]
        : [];
    });
    return judged(findings, `${sent.length} creates, none with a first frame`, source);
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
