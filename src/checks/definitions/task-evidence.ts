// What every verdict on a followed task needs before it can judge anything, shared by the lifecycle, result-link,
// task-identity and explicit-settings checks.
import { envelopeFailure } from '../../spec/envelope.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import { requestIdsOf } from '../probes/exchange-summary.ts';
import type { TaskObservation } from '../probes/task-probe.ts';
import { sourceText } from '../sources.ts';
import type { Verdict } from '../types.ts';

/** Where the lifecycle facts come from: the source a missing-evidence verdict cites. */
export const lifecycleSource = (spec: ProviderSpec) => sourceText(spec, spec.x.lifecycle.source);
/** The gateway's request ids of a followed task's create and polls. */
export const taskRequestIds = (obs: TaskObservation) => requestIdsOf(obs.create, ...obs.polls);
/** a 2xx status */
export const answeredOk = (status?: number) => status !== undefined && status >= 200 && status < 300;

/**
 * What every lifecycle verdict needs before it can judge anything: a create that was accepted with a readable
 * body and a task id, and polls whose bodies could be read. Missing evidence is `error`, never a pass.
 */
export function missingTaskEvidence(spec: ProviderSpec, obs: TaskObservation): Verdict | undefined {
  const fail = (message: string): Verdict => ({
    status: 'error',
    message,
    findings: [{ kind: 'evidence', message }],
    source: lifecycleSource(spec),
    requestIds: taskRequestIds(obs),
  });
  if (!answeredOk(obs.create.status) || obs.create.error)
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
  const unreadable = obs.polls.filter((p) => !answeredOk(p.status) || p.body === undefined);
  if (obs.polls.length === 0) return fail('the task was never polled');
  if (unreadable.length === obs.polls.length) {
    const answers = unreadable.map((p) => p.status ?? p.error).join(', ');
    const sample = unreadable[0]?.text ? `: ${unreadable[0].text.slice(0, 60)}` : '';
    return fail(`none of the ${obs.polls.length} polls could be read (${answers}${sample})`);
  }
  return undefined;
}
