import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { settle } from '../checks/engine.ts';
import type { CheckResult } from '../checks/types.ts';
import { packageVersion } from '../core/package-paths.ts';
import { readTraffic, type Traffic } from '../har/read-traffic.ts';
import { buildResults, type RunResults } from '../report/build-results.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { specRecord } from '../spec/spec-record.ts';
import { compileValidators } from '../validate/compile-validators.ts';
import { scopeTraffic } from './provider-fit.ts';
import { TRAFFIC_CHECKS } from './traffic-checks.ts';
import type { TrafficView } from './traffic-model.ts';

/** Runs every traffic check over the judged part of a recording (pure: the traffic is already read and scoped). */
export function judgeTraffic(view: TrafficView, traffic: Traffic, strict: boolean): CheckResult[] {
  const validators = compileValidators(view.spec);
  const incomplete = traffic.meta.some((m) => m.dropped || m.tornTail);
  return TRAFFIC_CHECKS.map((check): CheckResult => {
    const started = performance.now();
    let verdict = settle(check.evaluate(view, validators), strict);
    if (incomplete && verdict.status === 'pass' && check.id === 'traffic.tasks_finished')
      verdict = {
        status: 'error',
        message: 'the recording is incomplete (a bound was reached or its writer was killed): tasks cannot be judged',
        findings: [{ kind: 'evidence', message: 'incomplete recording' }],
      };
    return {
      id: check.id,
      provider: view.spec.id,
      title: check.title,
      family: 'traffic',
      paid: false,
      ...verdict,
      ...(incomplete ? { warnings: [...(verdict.warnings ?? []), 'the recording is incomplete'] } : {}),
      durationMs: Math.round(performance.now() - started),
    };
  });
}

/**
 * Reads the HAR files and judges the part of them that is `spec`'s traffic (`candidates`: the other specs a foreign
 * tool's HAR is compared with, to tell whose traffic it is): the results of a verify-client run, ready for the report
 * writers. A recording of another provider is a harness error (WRONG_PROVIDER).
 */
export function verifyClient(
  spec: ProviderSpec,
  files: string[],
  strict: boolean,
  candidates: ProviderSpec[] = [],
): RunResults {
  const startedAt = new Date().toISOString();
  const traffic = readTraffic(files, spec.x.auth);
  const { view, leftOut } = scopeTraffic(spec, traffic, candidates);
  const results = judgeTraffic(view, traffic, strict);
  const first = view.calls[0];
  return buildResults(
    {
      id: randomUUID(),
      // our mock's recordings are mock traffic; a proxy's or another tool's was live
      target: traffic.meta.length > 0 && traffic.meta.every((m) => m.target === 'mock') ? 'mock' : 'live',
      providers: [{ id: spec.id, baseUrl: first ? new URL(first.url).origin : '', spec: specRecord(spec) }],
      seed: 0,
      startedAt,
      endedAt: new Date().toISOString(),
      allowPaid: false,
      client: `traffic: ${files.join(', ')}`,
      subject: {
        kind: 'verify-client',
        har: files,
        exchanges: view.calls.length,
        clients: view.clients.map((c) => c.client),
        ...(leftOut ? { leftOut } : {}),
      },
      strict,
    },
    results,
    packageVersion(),
  );
}
