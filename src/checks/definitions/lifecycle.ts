import type { ProviderSpec } from '../../spec/model.ts';
import { phaseOf } from '../../spec/status-phase.ts';
import { envelopeFailure } from '../../spec/envelope.ts';
import { compileValidators } from '../../validate/compile-validators.ts';
import { requestIdsOf, type ExchangeSummary, unansweredVerdict } from '../probes/exchange-summary.ts';
import { observeUnknownTask } from '../probes/request-probes.ts';
import { observeDefaultTask, type TaskObservation } from '../probes/task-probe.ts';
import { describeClaim, sourceText } from '../sources.ts';
import type { CheckDefinition, Finding, Verdict } from '../types.ts';
import type { Breaker } from '../breakers.ts';
import { notAvailable } from './defaults.ts';
import { errorAnswerInferred } from '../inferred-expectation.ts';

/** initial 0, running 1, terminal 2 (documented extra words by their phase); undefined = undocumented. */
function rank(spec: ProviderSpec, status: string): number | undefined {
  const phase = phaseOf(spec, status);
  return phase === undefined ? undefined : { initial: 0, running: 1, succeeded: 2, failed: 2 }[phase];
}

const documentedWords = (spec: ProviderSpec) => [
  ...Object.keys(spec.x.lifecycle.statuses),
  ...(spec.x.lifecycle.extraStatuses ?? []).map((c) => c.value),
];
const lcSource = (spec: ProviderSpec) => sourceText(spec, spec.x.lifecycle.source);
const ids = (obs: TaskObservation) => requestIdsOf(obs.create, ...obs.polls);
const ok = (status?: number) => status !== undefined && status >= 200 && status < 300;

/**
 * What every lifecycle verdict needs before it can judge anything: a create that was accepted with a readable
 * body and a task id, and polls whose bodies could be read. Missing evidence is `error`, never a pass.
 */
export function missingTaskEvidence(spec: ProviderSpec, obs: TaskObservation): Verdict | undefined {
  const fail = (message: string): Verdict => ({
    status: 'error',
    message,
    findings: [{ kind: 'evidence', message }],
    source: lcSource(spec),
    requestIds: ids(obs),
  });
  if (!ok(obs.create.status) || obs.create.error)
    return fail(`no task to follow: the create answered ${obs.create.status ?? ''} ${obs.create.error ?? ''}`.trim());
  if (obs.create.body === undefined)
    return fail(`no task to follow: the create's body is not JSON (${obs.create.text?.slice(0, 80) ?? 'empty'})`);
  const env = envelopeFailure(spec, obs.create.status, obs.create.body);
  if (env)
    return fail(
      `no task to follow: the create answered ${obs.create.status} with ` +
        `${env.pointer} = ${JSON.stringify(env.code)}, a failure by the ` +
        `documented envelope`,
    );
  if (!obs.taskId) return fail(`no task to follow: no task id at ${spec.x.lifecycle.idPointer}`);
  const unreadable = obs.polls.filter((p) => !ok(p.status) || p.body === undefined);
  if (obs.polls.length === 0) return fail('the task was never polled');
  if (unreadable.length === obs.polls.length) {
    const answers = unreadable.map((p) => p.status ?? p.error).join(', ');
    const sample = unreadable[0]?.text ? `: ${unreadable[0].text.slice(0, 60)}` : '';
    return fail(`none of the ${obs.polls.length} polls could be read (${answers}${sample})`);
  }
  return undefined;
}

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
    source: lcSource(spec),
    requestIds: ids(obs),
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
    source: lcSource(spec),
    requestIds: ids(obs),
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
    source: lcSource(spec),
    requestIds: ids(obs),
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

export function evaluateDownload(spec: ProviderSpec, obs: TaskObservation): Verdict {
  const source = sourceText(spec, spec.x.resultLink.lifetimeSeconds[0]!.source);
  const base = {
    expected: 'HTTP 200 and an MP4 with a video track',
    observed: obs.download,
    source,
    requestIds: ids(obs),
  };
  if (phaseOf(spec, obs.terminal) !== 'succeeded')
    return {
      ...base,
      status: 'error',
      message: `no result to download: the task ${obs.terminal ? `ended ${obs.terminal}` : 'did not finish'}`,
      findings: [{ kind: 'evidence', message: 'no succeeded task' }],
    };
  if (obs.download?.video)
    return {
      ...base,
      status: 'pass',
      message:
        `downloaded ${obs.download.video.width}x${obs.download.video.height}, ` +
        `${obs.download.video.durationSeconds} s`,
    };
  // cut off (too large, too slow, past the deadline): what was seen is reported, but nothing was judged
  if (['BODY_TOO_LARGE', 'TIMEOUT', 'DEADLINE'].includes(obs.download?.code ?? ''))
    return {
      ...base,
      status: 'error',
      message: `the download was cut off: ${obs.download!.error}`,
      findings: [{ kind: 'evidence', message: obs.download!.error! }],
    };
  // a link to an address the runner never fetches from (metadata, private): nothing was judged either
  if (obs.download?.code === 'ADDRESS_REFUSED')
    return {
      ...base,
      status: 'error',
      message: `the download was not attempted: ${obs.download.error}`,
      findings: [{ kind: 'evidence', message: obs.download.error! }],
    };
  const message = obs.resultUrl
    ? `download failed: ${obs.download?.error}`
    : `no result link at ${spec.x.lifecycle.resultUrlPointer}`;
  return {
    ...base,
    status: 'fail',
    message,
    findings: [
      {
        kind: 'download',
        message,
        pointer: spec.x.lifecycle.resultUrlPointer,
        observed: obs.download,
        source,
        requestIds: base.requestIds,
      },
    ],
  };
}

/**
 * The link must work until, and stop after, one documented lifetime (any documented claim: the documents may
 * disagree), and then answer the documented status. Early and never-expiring links both fail.
 */
export function evaluateLinkExpiry(spec: ProviderSpec, obs: TaskObservation): Verdict {
  const rl = spec.x.resultLink;
  // a lifetime the answer itself states (a `…_ttl` field) is this link's own documented lifetime, and comes first
  const stated =
    rl.ttlPointer && obs.linkTtlSeconds !== undefined
      ? [{ value: obs.linkTtlSeconds, mock: true, source: rl.ttlPointer.source }]
      : [];
  const lifetimes = [...stated, ...rl.lifetimeSeconds];
  const chosen = stated[0] ?? rl.lifetimeSeconds.find((c) => c.mock) ?? rl.lifetimeSeconds[0]!;
  const base = {
    expected: { lifetimeSeconds: lifetimes.map((c) => c.value), expiredStatus: rl.expired.status },
    observed: obs.linkChecks,
    source: sourceText(spec, chosen.source),
    requestIds: ids(obs),
  };
  if (!obs.linkChecks?.length)
    return {
      ...base,
      status: 'error',
      message: obs.download?.video
        ? 'the link was not fetched again after its lifetime'
        : 'no downloaded result whose link could expire',
      findings: [{ kind: 'evidence', message: 'no link checks' }],
    };
  const statusAt = (t: number) => obs.linkChecks!.find((c) => c.atSeconds === t)?.status;
  const followed = lifetimes.find((c) => statusAt(Math.max(0, c.value - 1)) === 200 && statusAt(c.value + 1) !== 200);
  const findings: Finding[] = [];
  if (!followed) {
    const firstDead = obs.linkChecks.find((c) => c.status !== 200);
    const message = firstDead
      ? `the link stopped working ${firstDead.atSeconds} s after completion, at no ` +
        `documented lifetime (${lifetimes.map((c) => `${c.value} s`).join(', ')})`
      : `the link still works ${obs.linkChecks.at(-1)!.atSeconds} s after completion, past every documented lifetime`;
    findings.push({
      kind: 'link-expiry',
      message,
      observed: obs.linkChecks,
      expected: base.expected.lifetimeSeconds,
      source: base.source,
      requestIds: base.requestIds,
    });
    return { ...base, status: 'fail', message, findings };
  }
  if (followed !== chosen)
    findings.push({
      kind: 'claim-followed',
      message: `the link lives ${followed.value} s`,
      matches: [describeClaim(spec, followed)],
      source: sourceText(spec, followed.source),
    });
  const expiredStatus = statusAt(followed.value + 1);
  if (expiredStatus !== rl.expired.status) {
    const message = `after ${followed.value} s the link answers ${expiredStatus}, documented ${rl.expired.status}`;
    findings.push({
      kind: 'status',
      message,
      expected: rl.expired.status,
      observed: expiredStatus,
      inferred: Boolean(rl.expired.inferred),
      source: sourceText(spec, rl.expired.source),
      requestIds: base.requestIds,
    });
    return { ...base, status: 'fail', message, findings };
  }
  return {
    ...base,
    status: 'pass',
    message:
      `works until ${followed.value} s, then answers ` +
      `${expiredStatus}${followed !== chosen ? ` (follows ${describeClaim(spec, followed)})` : ''}`,
    findings,
  };
}

/** the longest documented lifetime of a result link, in seconds */
export const longestLifetime = (spec: ProviderSpec) =>
  Math.max(...spec.x.resultLink.lifetimeSeconds.map((c) => c.value));

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
      const shape = compileValidators(spec).response('poll', 404);
      const errors =
        r.body === undefined ? [{ pointer: '', message: 'is not JSON' }] : shape ? shape(r.body).errors : [];
      if (!errors.length) return { ...base, status: 'pass', message: 'documented 404' };
      const message = `404 body: ${errors.map((e) => `${e.pointer || 'body'} ${e.message}`).join('; ')}`;
      return {
        ...base,
        status: 'fail',
        message,
        findings: errors.map((e) => ({
          kind: 'shape',
          message: e.message,
          pointer: e.pointer,
          source,
          requestIds: base.requestIds,
          inferred: errorAnswerInferred(spec, 404) || undefined,
        })),
      };
    },
  } as CheckDefinition<TaskObservation | ExchangeSummary>,
] as CheckDefinition<TaskObservation | ExchangeSummary>[];
