import { randomUUID } from 'node:crypto';
import type { CheckResult } from '../checks/types.ts';
import { packageVersion } from '../core/package-paths.ts';
import { buildResults, type RunResults } from '../report/build-results.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { specRecord } from '../spec/spec-record.ts';
import type { ProxyCounts } from './proxy-context.ts';
import type { RunningProxy } from './proxy-server.ts';
import { KEY_REFUSED } from './response-findings.ts';
import { uncertainCreates } from './uncertain-creates.ts';

/** What a proxy session observed, as a live run's results (the file `drift --results` reads). */
export function proxyResults(spec: ProviderSpec, proxy: RunningProxy, upstream: string, startedAt: string): RunResults {
  const mayHaveCreated = uncertainCreates(spec, proxy.counts.mayHaveCreated);
  const results = proxy.findings.results(proxy.entryIndex);
  const unjudged = nothingJudged(spec, results, proxy.counts);
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
        ...(mayHaveCreated ? { mayHaveCreated } : {}),
      },
    },
    unjudged ? [...results, unjudged] : results,
    packageVersion(),
  );
}

/**
 * A session none of whose results judged anything (no pass, fail or warn: nothing came through, only refused keys,
 * only the proxy's own answers) is not a pass: an `error` result with no drift in it, which `drift --results` lists
 * under *Could not be judged* (exit 2), never "No drift found". Undefined where something was judged, or where an
 * error already says why nothing was (an upstream that never answered).
 */
export function nothingJudged(
  spec: ProviderSpec,
  results: CheckResult[],
  counts: ProxyCounts,
): CheckResult | undefined {
  if (results.some((r) => r.status === 'pass' || r.status === 'fail' || r.status === 'warn' || r.status === 'error'))
    return undefined;
  const refused = results.find((r) => r.id === KEY_REFUSED);
  const seen = [
    `${counts.forwarded} request(s) forwarded`,
    `${counts.rejectedLocally} invalid create(s) answered by the proxy itself`,
    ...(refused ? [`${(refused.observed as { answers: number }).answers} answered 401/403 (not attributable)`] : []),
  ].join(', ');
  const message =
    `nothing this session saw could be judged (${seen}): no create or poll answer of the upstream that the ` +
    'documents describe; send traffic through the proxy with a key the gateway accepts';
  return {
    id: 'proxy.judged',
    provider: spec.id,
    title: 'the session judged at least one answer of the upstream',
    family: 'proxy',
    paid: false,
    durationMs: 0,
    status: 'error',
    message,
    findings: [{ kind: 'evidence', message }],
  };
}
