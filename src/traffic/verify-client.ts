import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { settle } from '../checks/engine.ts';
import type { CheckResult } from '../checks/types.ts';
import { packageVersion } from '../core/package-paths.ts';
import { fingerprintSaltId } from '../har/client-id.ts';
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
  const traffic = readTraffic(files, spec.x.auth);
  const { view, leftOut } = scopeTraffic(spec, traffic, candidates);
  const results = judgeTraffic(view, traffic, strict);
  const first = view.calls[0];
  const judgedAt = new Date().toISOString();
  const times = trafficTimes(view);
  const apart = fingerprintsApart(traffic);
  return buildResults(
    {
      id: randomUUID(),
      // our mock's recordings are mock traffic; a proxy's or another tool's was live
      target: traffic.meta.length > 0 && traffic.meta.every((m) => m.target === 'mock') ? 'mock' : 'live',
      providers: [{ id: spec.id, baseUrl: first ? new URL(first.url).origin : '', spec: specRecord(spec) }],
      // the traffic's own time range; when it was judged is said apart (a recording has no seed)
      startedAt: times?.startedAt ?? judgedAt,
      endedAt: times?.endedAt ?? judgedAt,
      judgedAt,
      allowPaid: false,
      client: `traffic: ${files.join(', ')}`,
      subject: {
        kind: 'verify-client',
        har: files,
        exchanges: view.calls.length,
        clients: view.clients.map((c) => c.client),
        ...(leftOut ? { leftOut } : {}),
        ...(times ? {} : { untimed: true as const }),
        ...(apart ? { fingerprints: apart } : {}),
      },
      strict,
    },
    results,
    packageVersion(),
  );
}

/**
 * The judged traffic's time range: its first request's start to its last answer's end (HAR startedDateTime + time);
 * undefined when no judged entry has a start time.
 */
export function trafficTimes(view: TrafficView): { startedAt: string; endedAt: string } | undefined {
  let start = Infinity;
  let end = -Infinity;
  // a loop, not Math.min(...): a recording may hold more entries than a call takes arguments
  for (const c of view.calls) {
    if (!(c.startedMs > 0)) continue;
    start = Math.min(start, c.startedMs);
    end = Math.max(end, c.startedMs + c.durationMs);
  }
  if (start === Infinity) return undefined;
  return { startedAt: new Date(start).toISOString(), endedAt: new Date(end).toISOString() };
}

/**
 * Whether the files' key fingerprints were made under different salts (client-id.ts: each recording process draws its
 * own unless KLING_CONFORMANCE_FINGERPRINT_SALT gives one), said in words: the same key in two of them is then two
 * keys. A HAR without our notes is fingerprinted here, under this process's salt; our recordings from before the salt
 * (no `log._kc.fingerprints`) under none.
 */
export function fingerprintsApart(traffic: Traffic): string | undefined {
  const saltOf = (meta: Traffic['logs'][number]['meta']) =>
    meta ? (meta.fingerprints ?? 'unsalted') : fingerprintSaltId();
  const salts = new Map<string, string[]>();
  for (const { file, meta } of traffic.logs) {
    const salt = saltOf(meta);
    (salts.get(salt) ?? salts.set(salt, []).get(salt)!).push(file);
  }
  if (salts.size < 2) return undefined;
  return (
    `the key fingerprints of ${[...salts.values()].map((files) => files.join(' and ')).join(' / ')} were made under ` +
    'different salts: a key in two of them counts as two keys (two clients where no x-client-id names them); record ' +
    'every part of one session with one KLING_CONFORMANCE_FINGERPRINT_SALT, or name clients with x-client-id'
  );
}
