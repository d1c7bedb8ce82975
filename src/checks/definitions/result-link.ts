// The result of a succeeded task: its download, and its link's documented lifetime.
import type { ProviderSpec } from '../../spec/model.ts';
import { phaseOf } from '../../spec/status-phase.ts';
import type { TaskObservation } from '../probes/task-probe.ts';
import { describeClaim, sourceText } from '../sources.ts';
import type { Finding, Verdict } from '../types.ts';
import { taskRequestIds } from './task-evidence.ts';

export function evaluateDownload(spec: ProviderSpec, obs: TaskObservation): Verdict {
  const source = sourceText(spec, spec.x.resultLink.lifetimeSeconds[0]!.source);
  const base = {
    expected: 'HTTP 200 and an MP4 with a video track',
    observed: obs.download,
    source,
    requestIds: taskRequestIds(obs),
  };
  if (phaseOf(spec, obs.terminal) !== 'succeeded')
    return {
      ...base,
      status: 'error',
      message: `no result to download: the task ${obs.terminal ? `ended ${obs.terminal}` : 'did not finish'}`,
      findings: [{ kind: 'evidence', message: 'no succeeded task' }],
    };
  if (obs.download?.video)
    return {
      ...base,
      status: 'pass',
      message:
        `downloaded ${obs.download.video.width}x${obs.download.video.height}, ` +
        `${obs.download.video.durationSeconds} s`,
    };
  // cut off (too large, too slow, past the deadline): what was seen is reported, but nothing was judged
  if (['BODY_TOO_LARGE', 'TIMEOUT', 'DEADLINE'].includes(obs.download?.code ?? ''))
    return {
      ...base,
      status: 'error',
      message: `the download was cut off: ${obs.download!.error}`,
      findings: [{ kind: 'evidence', message: obs.download!.error! }],
    };
  // a link to an address the runner never fetches from (metadata, private): nothing was judged either
  if (obs.download?.code === 'ADDRESS_REFUSED')
    return {
      ...base,
      status: 'error',
      message: `the download was not attempted: ${obs.download.error}`,
      findings: [{ kind: 'evidence', message: obs.download.error! }],
    };
  const message = obs.resultUrl
    ? `download failed: ${obs.download?.error}`
    : `no result link at ${spec.x.lifecycle.resultUrlPointer}`;
  return {
    ...base,
    status: 'fail',
    message,
    findings: [
      {
        kind: 'download',
        message,
        pointer: spec.x.lifecycle.resultUrlPointer,
        observed: obs.download,
        source,
        requestIds: base.requestIds,
      },
    ],
  };
}

/**
 * The link must work until, and stop after, one documented lifetime (any documented claim: the documents may
 * disagree), and then answer the documented status. Early and never-expiring links both fail.
 */
export function evaluateLinkExpiry(spec: ProviderSpec, obs: TaskObservation): Verdict {
  const rl = spec.x.resultLink;
  // a lifetime the answer itself states (a `…_ttl` field) is this link's own documented lifetime, and comes first
  const stated =
    rl.ttlPointer && obs.linkTtlSeconds !== undefined
      ? [{ value: obs.linkTtlSeconds, mock: true, source: rl.ttlPointer.source }]
      : [];
  const lifetimes = [...stated, ...rl.lifetimeSeconds];
  const chosen = stated[0] ?? rl.lifetimeSeconds.find((c) => c.mock) ?? rl.lifetimeSeconds[0]!;
  const base = {
    expected: { lifetimeSeconds: lifetimes.map((c) => c.value), expiredStatus: rl.expired.status },
    observed: obs.linkChecks,
    source: sourceText(spec, chosen.source),
    requestIds: taskRequestIds(obs),
  };
  if (!obs.linkChecks?.length)
    return {
      ...base,
      status: 'error',
      message: obs.download?.video
        ? 'the link was not fetched again after its lifetime'
        : 'no downloaded result whose link could expire',
      findings: [{ kind: 'evidence', message: 'no link checks' }],
    };
  const statusAt = (t: number) => obs.linkChecks!.find((c) => c.atSeconds === t)?.status;
  const followed = lifetimes.find((c) => statusAt(Math.max(0, c.value - 1)) === 200 && statusAt(c.value + 1) !== 200);
  const findings: Finding[] = [];
  if (!followed) {
    const firstDead = obs.linkChecks.find((c) => c.status !== 200);
    const message = firstDead
      ? `the link stopped working ${firstDead.atSeconds} s after completion, at no ` +
        `documented lifetime (${lifetimes.map((c) => `${c.value} s`).join(', ')})`
      : `the link still works ${obs.linkChecks.at(-1)!.atSeconds} s after completion, past every documented lifetime`;
    findings.push({
      kind: 'link-expiry',
      message,
      observed: obs.linkChecks,
      expected: base.expected.lifetimeSeconds,
      source: base.source,
      requestIds: base.requestIds,
    });
    return { ...base, status: 'fail', message, findings };
  }
  if (followed !== chosen)
    findings.push({
      kind: 'claim-followed',
      message: `the link lives ${followed.value} s`,
      matches: [describeClaim(spec, followed)],
      source: sourceText(spec, followed.source),
    });
  const expiredStatus = statusAt(followed.value + 1);
  if (expiredStatus !== rl.expired.status) {
    const message = `after ${followed.value} s the link answers ${expiredStatus}, documented ${rl.expired.status}`;
    findings.push({
      kind: 'status',
      message,
      expected: rl.expired.status,
      observed: expiredStatus,
      inferred: Boolean(rl.expired.inferred),
      source: sourceText(spec, rl.expired.source),
      requestIds: base.requestIds,
    });
    return { ...base, status: 'fail', message, findings };
  }
  return {
    ...base,
    status: 'pass',
    message:
      `works until ${followed.value} s, then answers ` +
      `${expiredStatus}${followed !== chosen ? ` (follows ${describeClaim(spec, followed)})` : ''}`,
    findings,
  };
}

/** the longest documented lifetime of a result link, in seconds */
export const longestLifetime = (spec: ProviderSpec) =>
  Math.max(...spec.x.resultLink.lifetimeSeconds.map((c) => c.value));
