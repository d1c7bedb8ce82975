import { resolve } from 'node:path';
import type { Command } from 'commander';
import { assertWritable } from '../../core/atomic-write.ts';
import { registerAuthRedaction } from '../../spec/auth.ts';
import { exitCodeOf } from '../../report/build-results.ts';
import { REPORT_FILES, writeReport } from '../../report/write-report.ts';
import { loadSpecById } from '../../spec/load-spec.ts';
import { proxyResults } from '../../proxy/proxy-results.ts';
import type { ProxyOptions } from '../../proxy/proxy-options.ts';
import { startProxy } from '../../proxy/proxy-server.ts';
import { checkUpstream } from '../../proxy/upstream-allow.ts';
import { HarnessError } from '../../core/errors.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import { serveUntilStopped } from '../../proxy/proxy-signals.ts';
import { parseIntFlag } from '../../core/parse-flags.ts';

interface ProxyFlags {
  provider: string;
  upstream: string;
  upstreamAllow?: string[];
  port?: string;
  host: string;
  record?: string;
  forwardInvalid?: boolean;
  maxRequests?: string;
  maxUpstreamFailures?: string;
  drainTimeout: string;
  upstreamTimeout: string;
  reportDir: string;
  json?: boolean;
}

/** Every flag read and checked before anything is created: a bad value leaves nothing behind. */
function proxyOptions(spec: ProviderSpec, flags: ProxyFlags): ProxyOptions {
  const port = flags.port === undefined ? undefined : parseIntFlag('--port', flags.port);
  if (port !== undefined && port > 65535)
    throw new HarnessError('USAGE', `--port must be a port number (got ${flags.port})`, {
      fix: 'use e.g. --port 8080, or omit it to pick a free one',
    });
  // the upstream is judged here too (startProxy judges it again): refused before a folder is made
  checkUpstream(spec, flags.upstream, flags.upstreamAllow ?? []);
  return {
    spec,
    upstream: flags.upstream,
    upstreamAllow: flags.upstreamAllow,
    port,
    host: flags.host,
    record: flags.record,
    forwardInvalid: Boolean(flags.forwardInvalid),
    maxRequests: flags.maxRequests ? parseIntFlag('--max-requests', flags.maxRequests) : undefined,
    maxUpstreamFailures: flags.maxUpstreamFailures
      ? parseIntFlag('--max-upstream-failures', flags.maxUpstreamFailures)
      : undefined,
    drainMs: parseIntFlag('--drain-timeout', flags.drainTimeout, 0) * 1000,
    timeoutMs: parseIntFlag('--upstream-timeout', flags.upstreamTimeout) * 1000,
  };
}

export async function proxyCommand(program: Command, flags: ProxyFlags): Promise<number> {
  const spec = await loadSpecById(flags.provider, program.opts().specs);
  registerAuthRedaction(spec);
  const options = proxyOptions(spec, flags);
  const dir = resolve(flags.reportDir);
  // a proxy that cannot start (its port taken) leaves no empty report folder behind
  const undoCreated = assertWritable(dir);
  const startedAt = new Date().toISOString();
  const proxy = await startProxy(options).catch((err: unknown) => {
    undoCreated();
    throw err;
  });
  if (flags.json) console.log(JSON.stringify({ [spec.id]: proxy.url }));
  else console.log(`${spec.id}: ${proxy.url} → ${flags.upstream}`);
  process.stderr.write('Ctrl-C to stop (the reports are written then).\n');
  // whatever stops it, the requests in flight are answered, the record closed and the results written
  const { why, summary } = await serveUntilStopped(
    proxy,
    (reason, inFlight) => {
      if (inFlight)
        process.stderr.write(
          `proxy stopping (${reason}): ${inFlight} request(s) in flight, given ${flags.drainTimeout} s to finish ` +
            '(Ctrl-C again to answer them 503 now)\n',
        );
    },
    undefined,
    undefined,
    (signal) => process.stderr.write(`${signal}: the proxy is stopping; writing its reports\n`),
  );
  const results = proxyResults(spec, proxy, flags.upstream, startedAt);
  writeReport(dir, results);
  process.stderr.write(`proxy stopped (${why}); reports written to ${dir} (${REPORT_FILES.join(', ')})\n`);
  if (summary.inFlight || summary.refused)
    process.stderr.write(
      `requests in flight at the stop: ${summary.inFlight - summary.cut} finished, ${summary.cut} answered 503 by ` +
        `the proxy (cut-at-stop in the record); ${summary.refused} arriving while it stopped answered 503 ` +
        '(refused-at-stop)\n',
    );
  return exitCodeOf(results);
}
