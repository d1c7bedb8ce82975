import { randomUUID } from 'node:crypto';
import { packageVersion } from '../core/package-paths.ts';
import { buildResults, type RunResults } from '../report/build-results.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { specRecord } from '../spec/spec-record.ts';
import type { RunningProxy } from './proxy-server.ts';

/** What a proxy session observed, as a live run's results (the file `drift --results` reads). */
export function proxyResults(spec: ProviderSpec, proxy: RunningProxy, upstream: string, startedAt: string): RunResults {
  return buildResults(
    {
      id: randomUUID(),
      target: 'live',
      // the spec the answers were judged against: `drift --between` says when it changed between two sessions
      providers: [{ id: spec.id, baseUrl: upstream, spec: specRecord(spec) }],
      startedAt,
      endedAt: new Date().toISOString(),
      allowPaid: false,
      tasksCreated: proxy.counts.tasksCreated,
      client: `proxy (${proxy.counts.forwarded} forwarded, ${proxy.counts.rejectedLocally} invalid answered locally)`,
      subject: {
        kind: 'proxy',
        upstream,
        forwarded: proxy.counts.forwarded,
        rejectedLocally: proxy.counts.rejectedLocally,
      },
    },
    proxy.findings.results(proxy.entryIndex),
    packageVersion(),
  );
}
