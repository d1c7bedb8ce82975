// The departures that break the live checks of task identity, result type and jitter, one behaviour each.
import { isSuccess } from '../../src/spec/operations.ts';
import { adapter as noJitterAdapter } from '../../fixtures/adapters/no-jitter-adapter.ts';
import { deleteAt } from '../../src/core/json-pointer.ts';
import { editJson, withBody, type Deviation } from './deviating-mock.ts';
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
/** polls that answer about another task: every mention of the polled id becomes another one */
const otherTaskId: Deviation = {
  response: (res, req, x) => {
    if (x.operation !== 'poll' || !isSuccess(x.spec, 'poll', res.status)) return res;
    const url = new URL(req.url);
    const asked = new Set([decodeURIComponent(url.pathname.split('/').at(-1)!), ...url.searchParams.values()]);
    const swap = (node: unknown): unknown =>
      typeof node === 'string' && asked.has(node)
        ? `${node}-other`
        : Array.isArray(node)
          ? node.map(swap)
          : node && typeof node === 'object'
            ? Object.fromEntries(Object.entries(node).map(([k, v]) => [k, swap(v)]))
            : node;
    return editJson(res, swap);
  },
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

/** a gateway that ignores the explicit duration and aspect ratio: it serves its defaults */
const ignoresSettings: Deviation = {
  request: (req, x) =>
    x.operation === 'create'
      ? withBody(req, (b) => {
          for (const name of ['duration', 'aspect_ratio']) {
            const field = x.spec.x.settings[name]?.field;
            if (field) deleteAt(b, field);
          }
          return b;
        })
      : req,
};

/** a result link that expires early: the mock's clock runs two lifetimes ahead of every advance asked of it */
const linkExpiresEarly: Deviation = {
  request: (req, x) =>
    new URL(req.url).pathname === '/__mock/clock'
      ? withBody(req, (b) => ({
          advanceMs: Number(b.advanceMs) + Math.max(...x.spec.x.resultLink.lifetimeSeconds.map((c) => c.value)) * 2000,
        }))
      : req,
};

/** The breaker of a check added for live verdicts, or undefined for any other check. */
export function liveBreakers(id: string, auth: Record<string, string>): Breaker[] | undefined {
  if (id === 'auth.poll_missing_key') return [{ deviation: pollsWithoutKey(auth) }];
  if (id === 'lifecycle.poll_task_id') return [{ deviation: otherTaskId }];
  if (id === 'lifecycle.result_content_type') return [{ deviation: videoAsHtml }];
  if (id === 'defaults.explicit_settings') return [{ deviation: ignoresSettings }];
  if (id === 'lifecycle.malformed_task_id') return [{ deviation: malformedAsUnknown }];
  if (id === 'lifecycle.link_refetch') return [{ deviation: linkExpiresEarly }];
  return undefined;
}

export const noJitter: Breaker = { adapter: noJitterAdapter };
