import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { finished } from 'node:stream';
import { HarnessError } from '../core/errors.ts';
import { drainAndClose, type StopSummary } from '../core/graceful-close.ts';
import { stoppingAnswer } from './proxy-answers.ts';
import { mayHaveCreated, openExchange, type ProxyCounts, proxyContext } from './proxy-context.ts';
import { answer, handle, upstreamFailed } from './handle-exchange.ts';
import { PROXY_DEFAULTS, type ProxyOptions } from './proxy-options.ts';
import type { EntryIndex, ResponseFindings } from './response-findings.ts';

export type { StopSummary };

export interface RunningProxy {
  url: string;
  server: Server;
  /** requests sent on to the upstream, invalid ones answered here instead, creates the upstream answered with 2xx */
  counts: ProxyCounts;
  findings: ResponseFindings;
  /** the HAR entry of an exchange by its arrival number (undefined without --record) */
  entryIndex: EntryIndex;
  /** resolves with why the proxy stopped itself (a limit reached); the caller closes it and writes the results */
  stopped: Promise<string>;
  /**
   * Stops accepting, lets the requests in flight finish for up to `drainMs` (answering any that arrive meanwhile
   * with a 503), then answers those still in flight with a 503, records each, and closes the record. `cutNow`
   * (a second Ctrl-C) ends the drain at once, with its reason. Called again: the same stop.
   */
  close(cutNow?: Promise<string>): Promise<StopSummary>;
  /** requests not yet answered */
  inFlight(): number;
}

/**
 * A validating proxy in front of a real gateway: each create body is validated before it is forwarded (an invalid
 * one is answered here with the documented error and never reaches — or is billed by — the gateway, unless
 * `forwardInvalid`), each create and poll answer is judged against the documented shapes, redirects are passed back,
 * never followed, and the traffic is recorded like a mock session — every request, the ones the proxy answers itself
 * (invalid, too large, too slow, upstream failed, stopping) too.
 */
export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const { spec } = options;
  const ctx = proxyContext(options);
  const { findings, recorder, counts } = ctx;
  const limits = stopLimits(options);
  // a client that sends its request slowly: node:http answers 408 and closes the connection past `requestTimeout`
  // (checked every `connectionsCheckingInterval`: a quarter of it, so the deadline holds to within a quarter)
  const requestTimeout = options.clientTimeoutMs ?? PROXY_DEFAULTS.clientTimeoutMs;
  const serverOptions = {
    requestTimeout,
    headersTimeout: Math.min(60_000, requestTimeout),
    connectionsCheckingInterval: Math.max(1, Math.floor(requestTimeout / 4)),
  };
  const server = createServer(serverOptions, (req, res) => {
    const x = openExchange(ctx, req, res);
    // a limit counts a request once its answer has left: a stop it triggers must not cut that answer off
    finished(res, () => {
      ctx.open.leave(x);
      // the client went away before any answer: no HAR entry (the entries after it move up one)
      if (!x.answered && ctx.unrecorded.length < 10_000) ctx.unrecorded.push(x.seq);
      limits.answered(x.upstreamFailure === undefined, x.upstreamFailure);
    });
    if (ctx.stopping) answer(ctx, x, stoppingAnswer(spec, x, ctx.stopping, 'refused-at-stop'));
    else handle(ctx, x).catch((err: unknown) => upstreamFailed(ctx, x, err));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      // a proxy that never listened leaves no recording behind
      void ctx.agent.destroy();
      recorder?.discard();
      reject(
        new HarnessError('CONFIG', `cannot listen on ${host}:${options.port ?? 0}: ${err.code}`, {
          fix: 'choose a free --port',
        }),
      );
    });
    server.listen(options.port ?? 0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  ctx.self = new URL(`http://${host.includes(':') ? `[${host}]` : host}:${port}`);
  let closing: Promise<StopSummary> | undefined;
  return {
    url: `http://${host}:${port}`,
    server,
    counts,
    findings,
    entryIndex: (seq) => (recorder ? seq - ctx.unrecorded.filter((u) => u < seq).length : undefined),
    stopped: limits.stopped,
    inFlight: () => ctx.open.unanswered().length,
    close: (cutNow) => {
      closing ??= drainAndClose(server, ctx.open, {
        drainMs: options.drainMs ?? PROXY_DEFAULTS.drainMs,
        cutNow,
        begin: () => {
          ctx.stopping = 'the proxy is stopping';
        },
        cut: (x, why) => {
          mayHaveCreated(ctx, x, 'cut at the stop');
          answer(ctx, x, stoppingAnswer(spec, x, why, 'cut-at-stop'));
        },
        end: () => {
          // the upstream calls of requests cut are abandoned (their late answers go nowhere)
          void ctx.agent.destroy();
          recorder?.close();
        },
      });
      return closing;
    },
  };
}

/** The proxy's own stop conditions: a request count reached, or the upstream failing again and again. */
function stopLimits(options: ProxyOptions) {
  let stop: (why: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => {
    stop = resolve;
  });
  const maxFailures = options.maxUpstreamFailures ?? 5;
  let answered = 0;
  let failuresInARow = 0;
  return {
    stopped,
    answered(ok: boolean, failure?: string): void {
      answered += 1;
      failuresInARow = ok ? 0 : failuresInARow + 1;
      if (failuresInARow >= maxFailures)
        stop(`the upstream failed ${failuresInARow} times in a row (last: ${failure})`);
      else if (options.maxRequests !== undefined && answered >= options.maxRequests)
        stop(`${answered} requests answered (--max-requests)`);
    },
  };
}
