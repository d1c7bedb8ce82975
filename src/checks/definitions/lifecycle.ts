import type { ProviderSpec } from '../../spec/model.ts';
import { compileValidators } from '../../validate/compile-validators.ts';
import { requestIdsOf, type ExchangeSummary } from '../probes/exchange-summary.ts';
import { observeUnknownTask } from '../probes/request-probes.ts';
import { observeDefaultTask, type TaskObservation } from '../probes/task-probe.ts';
import { sourceText } from '../sources.ts';
import type { CheckDefinition, Verdict } from '../types.ts';
import { notAvailable } from './defaults.ts';

/** initial 0, running 1, terminal 2; documented extra words (e.g. "submitted") count as initial. */
function rank(spec: ProviderSpec, status: string): number | undefined {
  const lc = spec.x.lifecycle;
  if (status === lc.succeeded || status === lc.failed) return 2;
  if (status === lc.running) return 1;
  if (status === lc.initial || lc.extraStatuses?.some((c) => c.value === status)) return 0;
  return undefined;
}

const taskCheck = (id: string, title: string, evaluate: (spec: ProviderSpec, obs: TaskObservation) => Verdict, target: 'any' | 'mock' = 'any'): CheckDefinition<TaskObservation> => ({
  id,
  family: 'lifecycle',
  title,
  cost: 'paid',
  target,
  notApplicable: notAvailable,
  probe: observeDefaultTask,
  evaluate,
});

const lcSource = (spec: ProviderSpec) => sourceText(spec, spec.x.lifecycle.source);
const ids = (obs: TaskObservation) => requestIdsOf(obs.create, ...obs.polls);

export const lifecycleChecks: CheckDefinition<TaskObservation | ExchangeSummary>[] = [
  taskCheck('lifecycle.vocabulary', 'every status word is in the documented vocabulary', (spec, obs) => {
    const unknown = [...new Set(obs.statuses.filter((s) => rank(spec, s) === undefined))];
    return {
      status: unknown.length ? 'fail' : obs.statuses.length ? 'pass' : 'error',
      message: unknown.length ? `undocumented status word(s): ${unknown.join(', ')}` : obs.statuses.length ? `saw ${[...new Set(obs.statuses)].join(' → ')}` : 'no status was observed',
      expected: [...Object.keys(spec.x.lifecycle.statuses), ...(spec.x.lifecycle.extraStatuses ?? []).map((c) => c.value)],
      observed: obs.statuses,
      source: lcSource(spec),
      requestIds: ids(obs),
    };
  }),
  taskCheck('lifecycle.transitions', 'statuses only move forward and stop at a terminal one', (spec, obs) => {
    const ranks = obs.statuses.map((s) => rank(spec, s) ?? 0);
    const back = ranks.findIndex((r, i) => i > 0 && r < ranks[i - 1]!);
    const afterEnd = ranks.findIndex((r, i) => i > 0 && ranks[i - 1] === 2 && obs.statuses[i] !== obs.statuses[i - 1]);
    const bad = back >= 0 ? back : afterEnd;
    return {
      status: bad >= 0 ? 'fail' : 'pass',
      message: bad >= 0 ? `illegal transition ${obs.statuses[bad - 1]} → ${obs.statuses[bad]}` : `legal: ${obs.statuses.join(' → ')}`,
      expected: `${spec.x.lifecycle.initial} → ${spec.x.lifecycle.running} → ${spec.x.lifecycle.succeeded}|${spec.x.lifecycle.failed}`,
      observed: obs.statuses,
      source: lcSource(spec),
      requestIds: ids(obs),
    };
  }),
  taskCheck('lifecycle.terminal', 'the task reaches a terminal status within the configured timeout', (spec, obs) => ({
    status: obs.terminal === spec.x.lifecycle.succeeded ? 'pass' : obs.create.status !== 200 ? 'error' : 'fail',
    message: obs.terminal ? `ended ${obs.terminal}` : obs.create.status !== 200 ? `create answered ${obs.create.status}` : `still ${obs.statuses.at(-1)} after ${obs.polls.length} polls`,
    expected: spec.x.lifecycle.succeeded,
    observed: obs.terminal ?? obs.statuses.at(-1),
    source: lcSource(spec),
    requestIds: ids(obs),
  })),
  taskCheck('lifecycle.result_download', 'the result link downloads a real video before it expires', (spec, obs) => ({
    status: obs.download?.video ? 'pass' : obs.resultUrl ? 'fail' : 'error',
    message: obs.download?.video ? `downloaded ${obs.download.video.width}x${obs.download.video.height}, ${obs.download.video.durationSeconds} s` : obs.resultUrl ? `download failed: ${obs.download?.error}` : 'no result link was returned',
    expected: 'HTTP 200 and an MP4 with a video track',
    observed: obs.download,
    source: sourceText(spec, spec.x.resultLink.lifetimeSeconds[0]!.source),
    requestIds: ids(obs),
  })),
  taskCheck(
    'lifecycle.link_expiry',
    'the result link stops working after the documented lifetime, with the documented error',
    (spec, obs) => ({
      status: obs.afterExpiry?.status === spec.x.resultLink.expired.status ? 'pass' : obs.afterExpiry ? 'fail' : 'error',
      message: obs.afterExpiry ? `after ${obs.afterExpiry.advancedSeconds} s the link answers ${obs.afterExpiry.status}` : 'no result link to expire',
      expected: spec.x.resultLink.expired.status,
      observed: obs.afterExpiry?.status,
      source: sourceText(spec, spec.x.resultLink.lifetimeSeconds[0]!.source),
      requestIds: ids(obs),
    }),
    'mock',
  ),
  {
    id: 'lifecycle.unknown_task',
    family: 'lifecycle',
    title: 'polling an unknown task id gets the documented 404',
    cost: 'free',
    target: 'any',
    probe: observeUnknownTask,
    evaluate: (spec, obs) => {
      const r = obs as ExchangeSummary;
      const shape = compileValidators(spec).response('poll', 404);
      const errors = r.status === 404 && shape ? shape(r.body).errors : [];
      return {
        status: r.status === 404 && errors.length === 0 ? 'pass' : 'fail',
        message: r.status !== 404 ? `answered ${r.status ?? r.error}` : errors.length ? `404 body: ${errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}` : 'documented 404',
        expected: 404,
        observed: { status: r.status, body: r.body },
        source: sourceText(spec, spec.x.errors['404']?.code[0]?.source),
        requestIds: requestIdsOf(r),
      };
    },
  } as CheckDefinition<TaskObservation | ExchangeSummary>,
] as CheckDefinition<TaskObservation | ExchangeSummary>[];
