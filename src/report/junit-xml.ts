import { hostname } from 'node:os';
import type { CheckResult } from '../checks/types.ts';
import type { RunResults } from './build-results.ts';
import { findingLine, repeatsMessage } from './finding-text.ts';
import { runName } from './run-label.ts';

const escapeXml = (s: string) =>
  s
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');

function details(r: CheckResult): string {
  return [
    r.message,
    r.expected !== undefined ? `expected: ${JSON.stringify(r.expected)}` : '',
    r.observed !== undefined ? `observed: ${JSON.stringify(r.observed).slice(0, 2000)}` : '',
    r.source ? `source: ${r.source}` : '',
    ...(r.findings ?? []).filter((f) => !repeatsMessage(f, r.message)).map(findingLine),
    r.curl ? `reproduce: ${r.curl}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

function testcase(r: CheckResult): string {
  const open =
    `    <testcase classname="${escapeXml(r.provider)}" name="${escapeXml(r.id)}" ` +
    `time="${(r.durationMs / 1000).toFixed(3)}"`;
  if (r.status === 'fail')
    return (
      `${open}>\n      <failure message="${escapeXml(r.message)}" ` +
      `type="${escapeXml(r.findings?.[0]?.kind ?? 'fail')}">${escapeXml(details(r))}</failure>\n ` +
      `   </testcase>`
    );
  if (r.status === 'error')
    return (
      `${open}>\n      <error message="${escapeXml(r.message)}" ` +
      `type="error">${escapeXml(details(r))}</error>\n    </testcase>`
    );
  if (r.status === 'skip') return `${open}>\n      <skipped message="${escapeXml(r.message)}"/>\n    </testcase>`;
  // a warning or an observation is not a failure of the gate, but it is not a plain pass either: the status as a
  // property (CI test views list properties) and the details as the test's output
  if (r.status === 'warn' || r.status === 'info')
    return (
      `${open}>\n      <properties><property name="kling-conformance.status" value="${r.status}"/></properties>\n` +
      `      <system-out>${escapeXml(`${r.status}: ${details(r)}`)}</system-out>\n    </testcase>`
    );
  return `${open}/>`;
}

/**
 * junit.xml from the results (not from vitest's reporter): one testsuite per provider (with the run's start as
 * `timestamp` and this machine's `hostname`), classname = provider,
 * skip reasons and failure details included, counts and times that add up. Written with the other reports,
 * after redaction and atomically, so no file ever holds a secret or a torn document.
 */
export function renderJunit(r: RunResults): string {
  const byProvider = new Map<string, CheckResult[]>();
  for (const x of r.results) (byProvider.get(x.provider) ?? byProvider.set(x.provider, []).get(x.provider)!).push(x);
  const count = (xs: CheckResult[], s: string) => xs.filter((x) => x.status === s).length;
  const host = hostname() || 'localhost';
  const time = (xs: CheckResult[]) => (xs.reduce((n, x) => n + x.durationMs, 0) / 1000).toFixed(3);
  const suites = [...byProvider].map(
    ([provider, xs]) =>
      `  <testsuite name="${escapeXml(provider)}" tests="${xs.length}" ` +
      `failures="${count(xs, 'fail')}" errors="${count(xs, 'error')}" ` +
      `skipped="${count(xs, 'skip')}" timestamp="${r.run.startedAt.slice(0, 19)}" ` +
      `hostname="${escapeXml(host)}" time="${time(xs)}">\n${xs.map(testcase).join('\n')}\n  </testsuite>`,
  );
  const all = r.results;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kling-conformance ` +
    `${escapeXml(runName(r.run))}" tests="${all.length}" ` +
    `failures="${count(all, 'fail')}" errors="${count(all, 'error')}" ` +
    `skipped="${count(all, 'skip')}" ` +
    `time="${time(all)}">\n${suites.join('\n')}\n</testsuites>\n`
  );
}
