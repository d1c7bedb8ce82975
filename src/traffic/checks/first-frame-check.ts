import { getAt } from '../../core/json-pointer.ts';
import type { Finding } from '../../checks/types.ts';
import type { FirstFrameDecl } from '../../spec/request-model.ts';
import type { Call } from '../traffic-model.ts';
import { firstFrameFields } from './body-keys.ts';
import { basisOf, judged, skip, sourceOf, type TrafficCheck } from '../traffic-check.ts';

const present = (value: unknown) =>
  value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);

/** Whether a body carries what the spec's first-frame declaration sets (a URL field, or an item of a list). */
function sendsDeclared(body: unknown, decl: FirstFrameDecl): string | undefined {
  for (const [pointer, value] of Object.entries(decl.set)) {
    const sent = getAt(body, pointer);
    if (!present(sent)) continue;
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

const at = (c: Call) => `request #${c.index + 1} (${c.method} ${c.path})`;

/** A create's first frame: at the spec's declared field (its documented outcome), else under a generic spelling. */
function firstFrameFinding(c: Call, decl: FirstFrameDecl, generic: string[], inferred: boolean): Finding | undefined {
  const pointer = sendsDeclared(c.json, decl);
  if (pointer)
    return {
      kind: 'client',
      client: c.client,
      message:
        `${at(c)} sends a first frame at ${pointer} to text-to-video (` +
        `${decl.outcome === 'reject' ? `documented: ${decl.status ?? 400}` : 'undocumented behaviour'})`,
      pointer,
      // never surer than the check's basis (a documented rejection cited from an inferred source warns)
      inferred,
    };
  const body =
    c.json && typeof c.json === 'object' && !Array.isArray(c.json) ? (c.json as Record<string, unknown>) : {};
  const key = generic.find((k) => present(body[k]));
  if (!key) return undefined;
  return {
    kind: 'client',
    client: c.client,
    message:
      `${at(c)} sends "${key}", a first-frame field of other video APIs, to text-to-video: the provider's ` +
      'text-to-video schema does not document it (our reading: a first frame, whose outcome no document gives)',
    pointer: `/${key}`,
    inferred: true,
  };
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
    const sent = view.calls.filter((c) => c.operation === 'create' && c.json !== undefined);
    if (sent.length === 0) return skip('the client sent no create request with a JSON body');
    const { declared, generic } = firstFrameFields(view.spec);
    const inferred = firstFrame.basis(view.spec).confidence !== 'documented';
    const findings = sent.flatMap((c) => firstFrameFinding(c, decl, generic, inferred) ?? []);
    const checked =
      `none with a first frame at ${declared.join(', ')} (the spec's first-frame field) or under an undocumented ` +
      `first-frame key (${generic.join(', ')})`;
    return judged(findings, `${sent.length} creates, ${checked}`, source);
  },
};
