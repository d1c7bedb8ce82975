import { checkCreate, rejectLocally } from './check-create.ts';
import { forward } from './forward-upstream.ts';
import type { OpenExchange } from './open-exchanges.ts';
import { type Answer, proxyError } from './proxy-answers.ts';
import { mayHaveCreated, type ProxyContext, recordedUrl } from './proxy-context.ts';
import { NO_BODY, readRequestBody } from './read-bodies.ts';

/** One request, from its body to its answer: too large (413), invalid (answered here), or forwarded. */
export async function handle(ctx: ProxyContext, x: OpenExchange): Promise<void> {
  const limit = ctx.options.bodyLimitBytes ?? 1024 * 1024;
  let body: Uint8Array | undefined;
  try {
    body = await readRequestBody(x, limit);
  } catch {
    // the client went away (or node:http gave up on it: too slow) before its body ended: nobody to answer
    return;
  }
  if (x.answered) return;
  if (body === undefined) {
    answer(
      ctx,
      x,
      proxyError(
        ctx.options.spec,
        x,
        413,
        'request_too_large',
        `the request body is larger than ${limit} bytes`,
        'too-large',
      ),
    );
    return;
  }
  const checked = x.operation === 'create' ? checkCreate(ctx, x, body) : undefined;
  const local = checked?.refusal && !ctx.options.forwardInvalid ? rejectLocally(ctx, checked.refusal) : undefined;
  answer(ctx, x, local ?? (await forward(ctx, x, body, checked)));
}

/** The upstream failed the request (unreachable, timed out, reset): a 502, counted and reported as an error. */
export function upstreamFailed(ctx: ProxyContext, x: OpenExchange, err: unknown): void {
  // aborted by a stop that answered it already: not the upstream's failure
  if (x.answered) return;
  const message = String((err as Error)?.message ?? err);
  x.upstreamFailure = message;
  ctx.findings.upstreamFailure(message);
  mayHaveCreated(ctx, x, 'not answered by the upstream', err);
  answer(
    ctx,
    x,
    proxyError(ctx.options.spec, x, 502, 'proxy_error', `the upstream failed: ${message}`, 'upstream-failed'),
  );
}

/** Writes the answer (once: the upstream's, or the proxy's own) and records the exchange. */
export function answer(ctx: ProxyContext, x: OpenExchange, a: Answer): void {
  if (x.answered) return;
  x.answered = true;
  const head: Record<string, string> = { ...a.headers, 'content-length': String(a.body.byteLength) };
  // stopping: the connection closes after its last answer (one a request pipelined behind this one still needs)
  if (a.status === 413 || (ctx.stopping && !ctx.open.after(x).some((o) => o.req.socket === x.req.socket)))
    head.connection = 'close';
  try {
    if (!x.res.headersSent) x.res.writeHead(a.status, head).end(a.body);
  } catch {
    // an answer the socket cannot take (its connection is gone): recorded all the same
    x.res.destroy();
  }
  ctx.recorder?.record({
    method: x.method,
    url: recordedUrl(ctx, x.target, x.forwarded),
    headers: x.req.headers,
    body: x.chunks.length === 0 ? NO_BODY : x.chunks.length === 1 ? x.chunks[0]! : Buffer.concat(x.chunks),
    startedAt: x.startedAt,
    endedAt: performance.now(),
    response: { status: a.status, headers: a.headers, body: a.body, comment: a.comment },
    note: a.note,
  });
}
