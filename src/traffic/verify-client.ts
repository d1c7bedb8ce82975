import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { settle } from '../checks/engine.ts';
import type { CheckResult } from '../checks/types.ts';
import { HarnessError } from '../core/errors.ts';
import { packageVersion } from '../core/package-paths.ts';
import { readTraffic, type Traffic } from '../har/read-traffic.ts';
import { buildResults, type RunResults } from '../report/build-results.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { compileValidators } from '../validate/compile-validators.ts';
import { TRAFFIC_CHECKS } from './traffic-checks.ts';
import { viewTraffic } from './traffic-model.ts';

/** Runs every traffic check over one provider's recorded traffic (pure: the traffic is already read). */
export function judgeTraffic(spec: ProviderSpec, traffic: Traffic, strict: boolean): CheckResult[] {
  const view = viewTraffic(spec, traffic.exchanges);
  if (!view.calls.some((c) => c.operation === 'create' || c.operation === 'poll'))
    throw new HarnessError(
      'INPUT',
      `no request in ${traffic.files.join(', ')} matches ${spec.id}'s create (${spec.create.method} ` +
        `${spec.create.path}) or poll (${spec.poll.method} ${spec.poll.path})`,
      { file: traffic.files[0], fix: 'pass the provider the client talked to (--provider) and the HAR of its session' },
    );
  const validators = compileValidators(spec);
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
      provider: spec.id,
      title: check.title,
      family: 'traffic',
      paid: false,
      ...verdict,
      ...(incomplete ? { warnings: [...(verdict.warnings ?? []), 'the recording is incomplete'] } : {}),
      durationMs: Math.round(performance.now() - started),
    };
  });
}

/** Reads the HAR files and judges them: the results of a verify-client run, ready for the report writers. */
export function verifyClient(spec: ProviderSpec, files: string[], strict: boolean): RunResults {
  const startedAt = new Date().toISOString();
  const traffic = readTraffic(files, spec.x.auth);
  const results = judgeTraffic(spec, traffic, strict);
  const first = traffic.exchanges[0];
  return buildResults(
    {
      id: randomUUID(),
      // our mock's recordings are mock traffic; a proxy's or another tool's was live
      target: traffic.meta.length > 0 && traffic.meta.every((m) => m.target === 'mock') ? 'mock' : 'live',
      providers: [{ id: spec.id, baseUrl: first ? new URL(first.url).origin : '' }],
      seed: 0,
      startedAt,
      endedAt: new Date().toISOString(),
      allowPaid: false,
      client: `traffic: ${files.join(', ')}`,
      strict,
    },
    results,
    packageVersion(),
  );
}
