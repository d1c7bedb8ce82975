import { randomBytes } from 'node:crypto';
import { expectedAuthAnswer } from '../../spec/auth.ts';
import { getAt } from '../../core/json-pointer.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import { requestIdsOf, summarise, unansweredVerdict, type ExchangeSummary } from '../probes/exchange-summary.ts';
import { observeDefaultTask, type TaskObservation } from '../probes/task-probe.ts';
import { errorCodeOf } from '../../spec/error-code.ts';
import { sourceText } from '../sources.ts';
import type { CheckContext, CheckDefinition, Finding, Verdict } from '../types.ts';
import { notAvailable } from './defaults.ts';
import { missingTaskEvidence } from './task-evidence.ts';
import { errorAnswerInferred } from '../inferred-expectation.ts';
import { conditionCode, documentedErrorFindings, failing } from './documented-error.ts';
import type { Claim } from '../../spec/model.ts';

const failWith = (finding: Omit<Finding, 'message'>, message: string, extra: Partial<Verdict> = {}): Verdict => ({
  status: 'fail',
  message,
  ...extra,
  findings: [{ ...finding, message }],
});

/** The task ids a body names: at the documented id pointers, and in any field called id or task_id. */
function idsIn(spec: ProviderSpec, body: unknown): string[] {
  const lc = spec.x.lifecycle;
  const out = [lc.idPointer, ...(lc.idFallbackPointers ?? [])].map((p) => getAt(body, p));
  const walk = (node: unknown, depth: number) => {
    if (!node || typeof node !== 'object' || depth > 4) return;
    for (const [k, v] of Object.entries(node)) {
      if (typeof v === 'string' && /^(task_?id|id)$/i.test(k)) out.push(v);
      else walk(v, depth + 1);
    }
  };
  walk(body, 0);
  return [...new Set(out.filter((v): v is string => typeof v === 'string' && v.length > 0))];
}

/** Does a documented poll body have a field for the task id (id, task_id at any depth)? */
function pollNamesTaskId(spec: ProviderSpec): boolean {
  const walk = (schema: unknown, depth: number): boolean => {
    if (!schema || typeof schema !== 'object' || depth > 6) return false;
    const props = (schema as { properties?: Record<string, unknown> }).properties ?? {};
    if (Object.keys(props).some((k) => /^(task_?id|id)$/i.test(k))) return true;
    return Object.values(schema).some((v) => walk(v, depth + 1));
  };
  return Object.values(spec.x.lifecycle.statuses).some((s) => walk(getAt(spec.resolved, s.schema.slice(1)), 0));
}

/** Pure: every readable poll names the task that was created (a gateway must not answer about another one). */
export function evaluatePollTaskId(spec: ProviderSpec, obs: TaskObservation): Verdict {
  const lc = spec.x.lifecycle;
  const base = { expected: obs.taskId, source: sourceText(spec, lc.source), requestIds: requestIdsOf(...obs.polls) };
  const bodies = obs.polls.filter((p) => p.body !== undefined).map((p) => idsIn(spec, p.body));
  if (!bodies.some((ids) => ids.length))
    return { ...base, status: 'skip', message: 'no poll body names a task id: nothing to compare' };
  const wrong = bodies.find((ids) => ids.length > 0 && !ids.includes(obs.taskId!));
  if (!wrong) return { ...base, status: 'pass', message: `every poll names the created task ${obs.taskId}` };
  return failWith(
    { kind: 'shape', pointer: lc.idPointer, expected: obs.taskId, observed: wrong, source: base.source },
    `a poll for task ${obs.taskId} answered about ${wrong.join(', ')}`,
    { ...base, observed: wrong },
  );
}

/** Pure: the result link serves a video (a content type of video/*), not a page or a JSON error. */
export function evaluateResultContentType(_spec: ProviderSpec, obs: TaskObservation): Verdict {
  const type = obs.download?.contentType;
  const base = { expected: 'video/*', observed: type, requestIds: requestIdsOf(obs.create) };
  if (!obs.download?.video)
    return {
      ...base,
      status: 'error',
      message: 'no downloaded video',
      findings: [{ kind: 'evidence', message: 'no video' }],
    };
  if (type && /^video\//i.test(type.trim())) return { ...base, status: 'pass', message: `served as ${type}` };
  // that a video link says it is a video is our reading (the documents name the file, not its content type)
  return failWith(
    { kind: 'download', expected: 'video/*', observed: type ?? null, inferred: true },
    `the result video is served as ${type ?? 'no content type'}, not video/*`,
    base,
  );
}

/** A poll of a well-formed but unknown task id without any credential. */
function observePollWithoutKey(ctx: CheckContext): Promise<ExchangeSummary> {
  return ctx.probes.get('poll-without-key', async () =>
    summarise(
      await ctx.client.getTask(`${ctx.spec.x.responses.taskIdPrefix}kc${randomBytes(6).toString('hex')}`, {
        apiKey: null,
      }),
    ),
  );
}

/** A poll of a task id that cannot be one (not the documented form). */
function observeMalformedId(ctx: CheckContext): Promise<ExchangeSummary> {
  return ctx.probes.get('malformed-task-id', async () => summarise(await ctx.client.getTask('kc-not-a-task-id')));
}

export function evaluatePollWithoutKey(spec: ProviderSpec, r: ExchangeSummary): Verdict {
  const answer = expectedAuthAnswer(spec, 'missing');
  const source = sourceText(spec, answer.source);
  const base = { expected: answer.status, observed: r.status, source, requestIds: requestIdsOf(r) };
  const unanswered = unansweredVerdict(r);
  if (unanswered || r.status === undefined) return { ...base, ...unanswered! };
  if (r.status === answer.status) return documentedRefusal(spec, r, base, conditionCode(spec, 'missing'));
  // authentication is documented: reading a task without a key is a failure; only the exact status may be our reading
  const refused = r.status === 401 || r.status === 403;
  return failWith(
    {
      kind: 'status',
      expected: answer.status,
      observed: r.status,
      source,
      inferred: (refused && (answer.inferred || errorAnswerInferred(spec, answer.status))) || undefined,
    },
    refused
      ? `a poll without a key was refused with ${r.status}, not ${answer.status}`
      : `a poll without a key was not refused (answered ${r.status})`,
    base,
  );
}

export function evaluateMalformedId(spec: ProviderSpec, r: ExchangeSummary): Verdict {
  const documented = spec.x.lifecycle.malformedId!;
  const source = sourceText(spec, documented.source);
  const base = { expected: { status: documented.status, code: documented.code }, source, requestIds: requestIdsOf(r) };
  const unanswered = unansweredVerdict(r);
  if (unanswered || r.status === undefined) return { ...base, ...unanswered! };
  const code = errorCodeOf(spec, r.status, r.body)?.code;
  const observed = { status: r.status, code };
  if (r.status === documented.status)
    return documentedRefusal(spec, r, { ...base, observed }, { value: documented.code, source: documented.source });
  return failWith(
    { kind: 'status', expected: base.expected, observed, source },
    `a malformed task id got ${r.status} ${code ?? ''}, documented ${documented.status} ${documented.code}`.trim(),
    { ...base, observed },
  );
}

/**
 * A poll refused with the documented status passes only with the documented error body and code: a bare 404 or 401
 * from whatever answers at the base URL is not the gateway's documented refusal.
 */
function documentedRefusal(
  spec: ProviderSpec,
  r: ExchangeSummary,
  base: { source?: string; requestIds: string[] } & Partial<Verdict>,
  own: Claim<string | number> | undefined,
): Verdict {
  const status = r.status!;
  const notes = documentedErrorFindings(spec, 'poll', status, r, own);
  const findings = notes.map((f) => ({ source: base.source, requestIds: base.requestIds, ...f }));
  const wrong = failing(notes);
  if (!wrong.length)
    return { ...base, status: 'pass', message: `refused with ${status} and the documented error body`, findings };
  return { ...base, status: 'fail', message: `${status}, but ${wrong.map((f) => f.message).join('; ')}`, findings };
}

const onDefaultTask = (
  id: string,
  title: string,
  evaluate: (spec: ProviderSpec, obs: TaskObservation) => Verdict,
): CheckDefinition<TaskObservation> => ({
  id,
  family: 'lifecycle',
  title,
  cost: 'paid',
  target: 'any',
  notApplicable: notAvailable,
  probe: observeDefaultTask,
  evaluate: (spec, obs) => missingTaskEvidence(spec, obs) ?? evaluate(spec, obs),
});

/** Who and what a task answer is about: the task id echoed, the key required to read it, its malformed form. */
export const taskIdentityChecks: CheckDefinition[] = [
  {
    ...onDefaultTask('lifecycle.poll_task_id', 'every poll names the task that was created', evaluatePollTaskId),
    notApplicable: (spec) =>
      notAvailable(spec) ?? (pollNamesTaskId(spec) ? undefined : 'the documented poll body names no task id'),
    // polls that answer about another task
    breakers: () => [{ gateway: 'answers-other-task' }],
  },
  {
    ...onDefaultTask(
      'lifecycle.result_content_type',
      'the result link serves a video content type',
      evaluateResultContentType,
    ),
    breakers: () => [{ gateway: 'video-as-html' }],
  },
  {
    id: 'auth.poll_missing_key',
    family: 'auth',
    title: 'a poll without the auth header is refused with the documented status',
    cost: 'free',
    target: 'any',
    probe: observePollWithoutKey,
    evaluate: (spec, obs) => evaluatePollWithoutKey(spec, obs as ExchangeSummary),
    // a gateway that reads tasks for anyone: it adds a valid credential to every poll
    breakers: () => [{ gateway: 'adds-credential', operations: ['poll'] }],
  },
  {
    id: 'lifecycle.malformed_task_id',
    family: 'lifecycle',
    title: 'a malformed task id gets the documented status and code',
    cost: 'free',
    target: 'any',
    notApplicable: (spec) =>
      spec.x.lifecycle.malformedId ? undefined : 'the documents say nothing about a malformed task id',
    probe: observeMalformedId,
    evaluate: (spec, obs) => evaluateMalformedId(spec, obs as ExchangeSummary),
    // a malformed task id answered as an unknown one (the unknown task's 404, lifecycle.unknown_task)
    breakers: (spec) => [
      { gateway: 'restatus', operation: 'poll', from: spec.x.lifecycle.malformedId!.status, to: 404 },
    ],
  },
] as CheckDefinition[];
