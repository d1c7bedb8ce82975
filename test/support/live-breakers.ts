// The departures that break the live checks of task identity, result type and jitter, one behaviour each.
import { setAt } from '../../src/core/json-pointer.ts';
import { isSuccess } from '../../src/spec/operations.ts';
import { adapter as noJitterAdapter } from '../../fixtures/adapters/no-jitter-adapter.ts';
import { editJson, type Deviation } from './deviating-mock.ts';
import type { Breaker } from './prove-checks.ts';

/** a gateway that reads tasks for anyone: it adds a valid credential to every poll */
const pollsWithoutKey = (auth: Record<string, string>): Deviation => ({
  request: (req, x) => {
    if (x.operation !== 'poll') return req;
    const headers = new Headers(req.headers);
    for (const [k, v] of Object.entries(auth)) headers.set(k, v);
    return new Request(req.url, { method: req.method, headers });
  },
});
/** polls that answer about another task */
const otherTaskId: Deviation = {
  response: (res, _req, x) =>
    x.operation === 'poll' && isSuccess(x.spec, 'poll', res.status)
      ? editJson(res, (b) => void setAt(b as Record<string, unknown>, x.spec.x.lifecycle.idPointer, 'task-other-0001'))
      : res,
};
/** the result link serves the video as an HTML page */
const videoAsHtml: Deviation = {
  response: async (res, _req, x) =>
    x.operation === 'video' && res.status === 200
      ? new Response(await res.arrayBuffer(), { status: 200, headers: { 'content-type': 'text/html' } })
      : res,
};
/** a malformed task id answered as an unknown one */
const malformedAsUnknown: Deviation = {
  response: (res, _req, x) => (x.operation === 'poll' && res.status === 400 ? editJson(res, (b) => b, 404) : res),
};

/** The breaker of a check added for live verdicts, or undefined for any other check. */
export function liveBreakers(id: string, auth: Record<string, string>): Breaker[] | undefined {
  if (id === 'auth.poll_missing_key') return [{ deviation: pollsWithoutKey(auth) }];
  if (id === 'lifecycle.poll_task_id') return [{ deviation: otherTaskId }];
  if (id === 'lifecycle.result_content_type') return [{ deviation: videoAsHtml }];
  if (id === 'lifecycle.malformed_task_id') return [{ deviation: malformedAsUnknown }];
  return undefined;
}

export const noJitter: Breaker = { adapter: noJitterAdapter };
