import type { ProviderSpec } from '../../spec/model.ts';
import { phaseOf } from '../../spec/status-phase.ts';
import { requestIdsOf, type ExchangeSummary, unansweredVerdict } from '../probes/exchange-summary.ts';
import { observeUnknownTask } from '../probes/request-probes.ts';
import { observeDefaultTask, type TaskObservation } from '../probes/task-probe.ts';
import { sourceText } from '../sources.ts';
import type { CheckDefinition, Verdict } from '../types.ts';
import type { Breaker } from '../breakers.ts';
import { notAvailable } from './defaults.ts';
import { errorAnswerInferred } from '../inferred-expectation.ts';
import { evaluateDownload, evaluateLinkExpiry, longestLifetime } from './result-link.ts';
import { lifecycleSource, missingTaskEvidence, taskRequestIds } from './task-evidence.ts';
import { documentedErrorFindings, failing } from './documented-error.ts';

/** initial 0, running 1, terminal 2 (documented extra words by their phase); undefined = undocumented. */
function rank(spec: ProviderSpec, status: string): number | undefined {
  const phase = phaseOf(spec, status);
  return phase === undefined ? undefined : { initial: 0, running: 1, succeeded: 2, failed: 2 }[phase];
}

const documentedWords = (spec: ProviderSpec) => [
  ...Object.keys(spec.x.lifecycle.statuses),
  ...(spec.x.lifecycle.extraStatuses ?? []).map((c) => c.value),
];
function seenWords(spec: ProviderSpec, obs: TaskObservation): { seen: string[]; undocumented: string[] } {
  const seen = [...new Set(obs.statuses)];
  return { seen, undocumented: seen.filter((s) => rank(spec, s) === undefined) };
}

const taskCheck = (
  id: string,
  title: string,
  evaluate: (spec: ProviderSpec, obs: TaskObservation) => Verdict,
  breakers: (spec: ProviderSpec) => Breaker[],
  target: 'any' | 'mock' = 'any',
): CheckDefinition<TaskObservation> => ({
  id,
  family: 'lifecycle',
  title,
  cost: 'paid',
  target,
  notApplicable: notAvailable,
  probe: observeDefaultTask,
  evaluate: (spec, obs) => missingTaskEvidence(spec, obs) ?? evaluate(spec, obs),
  breakers,
});

export function evaluateVocabulary(spec: ProviderSpec, obs: TaskObservation): Verdict {
  const { seen, undocumented } = seenWords(spec, obs);
  const base = {
    expected: documentedWords(spec),
    observed: obs.statuses,
    source: lifecycleSource(spec),
    requestIds: taskRequestIds(obs),
  };
  if (seen.length === 0)
    return {
      ...base,
      status: 'error',
      message: `no status word was found at ${spec.x.lifecycle.statusPointer} in any body`,
      findings: [{ kind: 'evidence', message: 'no status word observed' }],
    };
  return {
    ...base,
    status: undocumented.length ? 'fail' : 'pass',
    message: undocumented.length
      ? `undocumented status word(s): ${undocumented.join(', ')} (seen: ${seen.join(', ')})`
      : `saw ${seen.join(', ')}, all documented`,
    findings: undocumented.map((w) => ({
      kind: 'status-word',
      message: `undocumented status word "${w}"`,
      pointer: spec.x.lifecycle.statusPointer,
      observed: w,
      expected: base.expected,
      source: base.source,
      requestIds: base.requestIds,
    })),
  };
}

export function evaluateTransitions(spec: ProviderSpec, obs: TaskObservation): Verdict {
  const lc = spec.x.lifecycle;
  const { seen, undocumented } = seenWords(spec, obs);
  const base = {
    expected: `${lc.initial} → ${lc.running} → ${lc.succeeded}${lc.failed ? `|${lc.failed}` : ''}`,
    observed: obs.statuses,
    source: lifecycleSource(spec),
    requestIds: taskRequestIds(obs),
  };
  const cannot = (why: string): Verdict => ({
    ...base,
    status: 'error',
    message: `cannot judge the transitions: ${why} (seen: ${obs.statuses.join(' → ') || 'none'})`,
    findings: [{ kind: 'evidence', message: why }],
  });
  if (undocumented.length)
    return cannot(
      `undocumented status word(s) ${undocumented.join(', ')} have no place in the ` +
        `documented order (see lifecycle.vocabulary)`,
    );
  if (seen.length === 0) return cannot('no status word was observed');
  if (!obs.terminal)
    return cannot(`no terminal status (${[lc.succeeded, lc.failed].filter(Boolean).join(' or ')}) was reached`);
  const ranks = obs.statuses.map((s) => rank(spec, s)!);
  const back = ranks.findIndex((r, i) => i > 0 && r < ranks[i - 1]!);
  const afterEnd = ranks.findIndex((_r, i) => i > 0 && ranks[i - 1] === 2 && obs.statuses[i] !== obs.statuses[i - 1]);
  const bad = back >= 0 ? back : afterEnd;
  if (bad < 0) return { ...base, status: 'pass', message: `legal: ${obs.statuses.join(' → ')}` };
  const message = `illegal transition ${obs.statuses[bad - 1]} → ${obs.statuses[bad]}`;
  return {
    ...base,
    status: 'fail',
    message,
    findings: [
      {
        kind: 'transition',
        message,
        pointer: lc.statusPointer,
        observed: obs.statuses,
        expected: base.expected,
        source: base.source,
        requestIds: base.requestIds,
      },
    ],
  };
}

export function evaluateTerminal(spec: ProviderSpec, obs: TaskObservation): Verdict {
  const lc = spec.x.lifecycle;
  const base = {
    expected: lc.succeeded,
    observed: obs.terminal ?? obs.statuses.at(-1),
    source: lifecycleSource(spec),
    requestIds: taskRequestIds(obs),
  };
  if (phaseOf(spec, obs.terminal) === 'succeeded') return { ...base, status: 'pass', message: `ended ${obs.terminal}` };
  const message = obs.terminal
    ? `ended ${obs.terminal}`
    : `no terminal status after ${obs.polls.length} polls` +
      `${obs.taskTimeoutSeconds ? ` within the task deadline of ${obs.taskTimeoutSeconds} s` : ''}` +
      ` (last: ${obs.statuses.at(-1) ?? 'unreadable'})`;
  return {
    ...base,
    status: 'fail',
    message,
    findings: [
      {
        kind: 'not-terminal',
        message,
        observed: base.observed,
        expected: lc.succeeded,
        source: base.source,
        requestIds: base.requestIds,
      },
    ],
  };
}

export const lifecycleChecks: CheckDefinition<TaskObservation | ExchangeSummary>[] = [
  taskCheck('lifecycle.vocabulary', 'every status word is in the documented vocabulary', evaluateVocabulary, (s) => [
    { gateway: 'renames-status-words', words: { [s.x.lifecycle.running]: 'running_undocumented' } },
  ]),
  taskCheck(
    'lifecycle.transitions',
    'statuses only move forward and stop at a terminal one',
    evaluateTransitions,
    (s) => {
      const { initial, running } = s.x.lifecycle;
      return [{ gateway: 'renames-status-words', words: { [initial]: running, [running]: initial } }];
    },
  ),
  taskCheck(
    'lifecycle.terminal',
    'the task reaches a terminal status within the configured timeout',
    evaluateTerminal,
    () => [{ gateway: 'never-ends' }],
  ),
  taskCheck(
    'lifecycle.result_download',
    'the result link downloads a real video before it expires',
    evaluateDownload,
    () => [{ gateway: 'video-gone' }],
  ),
  taskCheck(
    'lifecycle.link_expiry',
    'the result link works until a documented lifetime and then answers the documented error',
    evaluateLinkExpiry,
    // a link that never expires (time never reaches it), and one that expires early (time runs ahead of it)
    (s) => [{ gateway: 'stops-clock' }, { gateway: 'skips-clock', extraMs: longestLifetime(s) * 2000 }],
    'mock',
  ),
  {
    id: 'lifecycle.unknown_task',
    family: 'lifecycle',
    title: 'polling an unknown task id gets the documented 404',
    cost: 'free',
    target: 'any',
    probe: observeUnknownTask,
    breakers: () => [{ gateway: 'undocumented-error-bodies' }],
    evaluate: (spec, obs) => {
      const r = obs as ExchangeSummary;
      const source = sourceText(spec, spec.x.errors['404']?.code?.[0]?.source);
      const base = {
        expected: 404,
        observed: { status: r.status, body: r.body ?? r.text },
        source,
        requestIds: requestIdsOf(r),
      };
      const unanswered = unansweredVerdict(r);
      if (unanswered || r.status === undefined) return { ...base, ...unanswered! };
      if (r.status !== 404)
        return {
          ...base,
          status: 'fail',
          message: `answered ${r.status}`,
          findings: [
            {
              kind: 'status',
              message: `answered ${r.status} instead of 404`,
              expected: 404,
              observed: r.status,
              source,
              requestIds: base.requestIds,
              inferred: errorAnswerInferred(spec, 404) || undefined,
            },
          ],
        };
      // the status alone is no evidence (any server answers 404 to a path it does not serve): the documented body too
      const notes = documentedErrorFindings(spec, 'poll', 404, r);
      const findings = notes.map((f) => ({ source, requestIds: base.requestIds, ...f }));
      if (!failing(notes).length)
        return { ...base, status: 'pass', message: 'the documented 404 and its error body', findings };
      return {
        ...base,
        status: 'fail',
        message: `404 body: ${failing(notes)
          .map((f) => f.message)
          .join('; ')}`,
        findings,
      };
    },
  } as CheckDefinition<TaskObservation | ExchangeSummary>,
] as CheckDefinition<TaskObservation | ExchangeSummary>[];
