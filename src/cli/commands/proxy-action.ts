import { resolve } from 'node:path';
import type { Command } from 'commander';
import { assertWritable } from '../../core/atomic-write.ts';
import { registerAuthRedaction } from '../../spec/auth.ts';
import { exitCodeOf } from '../../report/build-results.ts';
import { REPORT_FILES, writeReport } from '../../report/write-report.ts';
import { loadSpecById } from '../../spec/load-spec.ts';
import { proxyResults } from '../../proxy/proxy-results.ts';
import { startProxy } from '../../proxy/proxy-server.ts';
import { parseIntFlag } from '../../core/parse-flags.ts';

interface ProxyFlags {
  provider: string;
  upstream: string;
  upstreamAllow?: string[];
  port?: string;
  host: string;
  record?: string;
  forwardInvalid?: boolean;
  reportDir: string;
  json?: boolean;
}

export async function action0(program: Command, flags: ProxyFlags): Promise<number> {
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
  });
  if (flags.json) console.log(JSON.stringify({ [spec.id]: proxy.url }));
  else console.log(`${spec.id}: ${proxy.url} → ${flags.upstream}`);
  process.stderr.write('Ctrl-C to stop (the reports are written then).\n');
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
  await proxy.close();
  const results = proxyResults(spec, proxy, flags.upstream, startedAt);
  writeReport(dir, results);
  process.stderr.write(`proxy stopped; reports written to ${dir} (${REPORT_FILES.join(', ')})\n`);
  return exitCodeOf(results);
}
