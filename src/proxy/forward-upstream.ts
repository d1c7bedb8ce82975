import { request } from 'undici';
import type { OpenExchange } from './open-exchanges.ts';
import { type Answer, proxyError } from './proxy-answers.ts';
import { PROXY_DEFAULTS } from './proxy-options.ts';
import type { CheckedCreate } from './check-create.ts';
import { mayHaveCreated, type ProxyContext } from './proxy-context.ts';
import { readUpstreamBody } from './read-bodies.ts';

/** Headers that belong to one connection (RFC 9110 §7.6.1) or that this proxy sets itself. */
const HOP = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'accept-encoding',
]);

const forwardable = (headers: Record<string, string | string[] | undefined>) =>
  Object.fromEntries(
    Object.entries(headers).filter(([k, v]) => v !== undefined && !HOP.has(k.toLowerCase())),
  ) as Record<string, string | string[]>;

/**
 * Sends the request on to the upstream and reads its answer under the limits; a create or poll answer is judged
 * (a create's with what the proxy found of its body: `checked`).
 */
export async function forward(
  ctx: ProxyContext,
  x: OpenExchange,
  body: Uint8Array,
  checked?: CheckedCreate,
): Promise<Answer> {
  const url = new URL(x.target.replace(/^\/+/, '/'), ctx.upstream);
  const timeout = ctx.options.timeoutMs ?? PROXY_DEFAULTS.timeoutMs;
  const deadline = ctx.now() + timeout;
  ctx.counts.forwarded += 1;
  x.forwarded = true;
  // undici's request() follows no redirect: a 3xx goes back to the client as it came
  const res = await request(url, {
    method: x.method as 'GET',
    headers: { ...forwardable(x.req.headers), 'accept-encoding': 'identity' },
    body: body.byteLength ? body : undefined,
    headersTimeout: timeout,
    bodyTimeout: timeout,
    dispatcher: ctx.agent,
  });
  const limit = ctx.options.answerLimitBytes ?? 16 * 1024 * 1024;
  const bytes = await readUpstreamBody(res.body, limit, deadline, ctx.now);
  if (bytes === 'too-late') throw new Error(`its answer was still arriving ${timeout} ms after the request was sent`);
  if (bytes === 'too-large')
    return proxyError(
      ctx.options.spec,
      x,
      502,
      'proxy_error',
      `the upstream's answer is larger than ${limit} bytes`,
      'upstream-too-large',
    );
  const out = Object.fromEntries(
    Object.entries(res.headers).flatMap(([k, v]) =>
      v === undefined || HOP.has(k) ? [] : [[k, Array.isArray(v) ? v.join(', ') : v]],
    ),
  ) as Record<string, string>;
  const operation = x.operation;
  // every create the gateway answers with a success status is a task it bills
  if (operation === 'create' && res.statusCode >= 200 && res.statusCode < 300) ctx.counts.tasksCreated += 1;
  // a 5xx to a create says nothing of whether the task was made before it failed
  if (res.statusCode >= 500) mayHaveCreated(ctx, x, `answered ${res.statusCode}`);
  if (operation !== 'other')
    ctx.findings.observe(
      operation,
      res.statusCode,
      { seq: x.seq, startedAt: x.startedAt, requestId: out['x-request-id'], bytes, headers: out },
      { method: x.method, target: x.target, ...(checked ? { create: checked } : {}) },
    );
  return { status: res.statusCode, headers: out, body: bytes, note: { operation } };
}
