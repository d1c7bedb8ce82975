import { resolve } from 'node:path';
import type { Command } from 'commander';
import { assertWritable } from '../../core/atomic-write.ts';
import { registerAuthRedaction } from '../../spec/auth.ts';
import { exitCodeOf } from '../../report/build-results.ts';
import { REPORT_FILES, writeReport } from '../../report/write-report.ts';
import { loadSpecById } from '../../spec/load-spec.ts';
import { proxyResults } from '../../proxy/proxy-results.ts';
import { type RunningProxy, startProxy } from '../../proxy/proxy-server.ts';
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
  reportDir: string;
  json?: boolean;
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Resolves with why the proxy stops: a signal, or a limit the proxy reached itself. */
function stopReason(proxy: RunningProxy): Promise<string> {
  return new Promise((done) => {
    for (const signal of STOP_SIGNALS) process.once(signal, () => done(signal));
    proxy.stopped.then(done);
  });
}

export async function proxyCommand(program: Command, flags: ProxyFlags): Promise<number> {
  const spec = await loadSpecById(flags.provider, program.opts().specs);
  registerAuthRedaction(spec);
  const dir = resolve(flags.reportDir);
  assertWritable(dir);
  const startedAt = new Date().toISOString();
  const proxy = await startProxy({
    spec,
    upstream: flags.upstream,
    upstreamAllow: flags.upstreamAllow,
    port: flags.port ? parseIntFlag('--port', flags.port) : undefined,
    host: flags.host,
    record: flags.record,
    forwardInvalid: Boolean(flags.forwardInvalid),
    maxRequests: flags.maxRequests ? parseIntFlag('--max-requests', flags.maxRequests) : undefined,
    maxUpstreamFailures: flags.maxUpstreamFailures
      ? parseIntFlag('--max-upstream-failures', flags.maxUpstreamFailures)
      : undefined,
  });
  if (flags.json) console.log(JSON.stringify({ [spec.id]: proxy.url }));
  else console.log(`${spec.id}: ${proxy.url} → ${flags.upstream}`);
  process.stderr.write('Ctrl-C to stop (the reports are written then).\n');
  const why = await stopReason(proxy);
  // whatever stopped it, the record is closed and the results written (each file atomically)
  await proxy.close();
  const results = proxyResults(spec, proxy, flags.upstream, startedAt);
  writeReport(dir, results);
  process.stderr.write(`proxy stopped (${why}); reports written to ${dir} (${REPORT_FILES.join(', ')})\n`);
  return exitCodeOf(results);
}
