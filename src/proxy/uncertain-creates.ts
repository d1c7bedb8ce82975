import { sourceText } from '../checks/sources.ts';
import { dedupeKey } from '../spec/dedupe-key.ts';
import type { ProviderSpec } from '../spec/model.ts';

/** Forwarded creates that may have made a task the proxy never saw: how many, and why in words. */
export interface UncertainCreates {
  creates: number;
  /** "1 create answered 500 may have made a task (the documents …)" */
  why: string;
}

const creates = (n: number) => `${n} create${n === 1 ? '' : 's'}`;

/**
 * The creates the proxy forwarded whose outcome it cannot know (answered 5xx, never answered, cut at the stop), by
 * what happened to them, said with the spec's facts on a 500: the documents' advice for it (and its source) and
 * whether a documented key deduplicates a create sent again. No spec says whether a create answered 5xx made its
 * task, so the proxy says "may have". Undefined when there were none.
 */
export function uncertainCreates(spec: ProviderSpec, byWhat: Record<string, number>): UncertainCreates | undefined {
  const parts = Object.entries(byWhat).filter(([, n]) => n > 0);
  const total = parts.reduce((sum, [, n]) => sum + n, 0);
  if (!total) return undefined;
  const advice = spec.x.retry['500'];
  const key = dedupeKey(spec);
  const source = sourceText(spec, spec.x.idempotency?.source);
  const facts = [
    'the documents do not say whether a create answered 5xx made its task',
    ...(advice
      ? [`their advice for a 500 is ${advice.retry ? 'to retry' : 'not to retry'} (${sourceText(spec, advice.source)})`]
      : []),
    key
      ? `a create sent again with the same ${key} is not billed twice (${source})`
      : 'no documented key deduplicates a create sent again',
  ];
  const what = parts.map(([how, n]) => `${creates(n)} ${how}`).join(' and ');
  return { creates: total, why: `${what} may ${total === 1 ? '' : 'each '}have made a task (${facts.join('; ')})` };
}
