import { HarnessError } from '../core/errors.ts';
import type { Exchange, Traffic } from '../har/read-traffic.ts';
import { documentedServer } from '../spec/documented-server.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { taskOperation } from '../spec/operations.ts';
import { pathMatcher, type TrafficView, viewTraffic } from './traffic-model.ts';

/** Entries of a recording left out of the judging: how many, and why (what they look like). */
export interface LeftOut {
  entries: number;
  why: string;
}

/** The part of a recording that is the judged provider's traffic. */
export interface TrafficScope {
  view: TrafficView;
  leftOut?: LeftOut;
}

/**
 * How well a spec explains a recording: the exchanges its documented operations place (create, poll, result, cancel,
 * a link its result gave), how many of them on the exact documented path (no base path before it), and how many
 * went to its documented server's host.
 */
interface Fit {
  spec: ProviderSpec;
  view: TrafficView;
  placed: Set<number>;
  exact: number;
  onHost: number;
}

const hostOf = (url: string) => (URL.canParse(url) ? new URL(url).host : '');

function fitOf(spec: ProviderSpec, exchanges: Exchange[]): Fit {
  const view = viewTraffic(spec, exchanges);
  const placed = new Set(view.calls.filter((c) => c.operation !== 'other').map((c) => c.index));
  const exactPaths = new Map([['create', pathMatcher(spec.create.path, true)]]);
  for (const name of ['poll', 'result', 'cancel'] as const) {
    const op = taskOperation(spec, name);
    if (op) exactPaths.set(name, pathMatcher(op.model.path, true));
  }
  const exact = view.calls.filter((c) => exactPaths.get(c.operation)?.(c.path) !== undefined).length;
  const server = documentedServer(spec);
  const host = server ? new URL(server).host : undefined;
  const onHost = host ? exchanges.filter((x) => hostOf(x.url) === host).length : 0;
  return { spec, view, placed, exact, onHost };
}

/** `rival` places every exchange `ours` places, and more of them, or more on exact paths or its documented host. */
const explainsBetter = (rival: Fit, ours: Fit) =>
  [...ours.placed].every((i) => rival.placed.has(i)) &&
  (rival.placed.size > ours.placed.size || rival.exact > ours.exact || rival.onHost > ours.onHost);

const byFit = (a: Fit, b: Fit) => b.placed.size - a.placed.size || b.exact - a.exact || b.onHost - a.onHost;

const operationsOf = (spec: ProviderSpec) =>
  [
    `create ${spec.create.method.toUpperCase()} ${spec.create.path}`,
    ...(['poll', 'result', 'cancel'] as const).flatMap((name) => {
      const op = taskOperation(spec, name);
      return op ? [`${name} ${op.model.method.toUpperCase()} ${op.model.path}`] : [];
    }),
  ].join(', ');

const hostsOf = (exchanges: Exchange[]) => {
  const hosts = [...new Set(exchanges.map((x) => hostOf(x.url)))];
  return hosts.length > 3 ? `${hosts.slice(0, 3).join(', ')} and ${hosts.length - 3} more` : hosts.join(', ');
};

/** Nothing to judge is not another provider's traffic: an empty recording has its own code (exit 2). */
function refuseEmpty(traffic: Traffic): void {
  if (traffic.exchanges.length > 0) return;
  const files = traffic.files.join(', ');
  throw new HarnessError(
    'EMPTY_HAR',
    `${traffic.files.length > 1 ? `the HARs ${files} have` : 'the HAR has'} no entries ` +
      '(did the recorder stop before any request?)',
    {
      file: traffic.files[0],
      pointer: '/log/entries',
      fix:
        "start the recorder (mock --record / proxy --record, or the browser's network panel) before the client, " +
        'run the client, then stop the recorder and pass that file',
    },
  );
}

/** A file whose recorder (mock --record, proxy --record) names another provider in `log._kc.provider`. */
function refuseRecordedForAnother(spec: ProviderSpec, traffic: Traffic): void {
  for (const { file, meta } of traffic.logs) {
    if (!meta?.provider || meta.provider === spec.id) continue;
    throw new HarnessError(
      'WRONG_PROVIDER',
      `${file} is not ${spec.id}'s traffic: it was recorded against ${meta.provider} ` +
        `(${meta.target === 'live' ? 'proxy' : 'mock'} --provider ${meta.provider})`,
      {
        file,
        pointer: '/log/_kc/provider',
        fix:
          `judge it as ${meta.provider}'s (verify-client --provider ${meta.provider} --har ${file}), or record a ` +
          `session against ${spec.id} (mock --provider ${spec.id} --record <file>)`,
      },
    );
  }
}

function notThisProvider(spec: ProviderSpec, traffic: Traffic, ours: Fit, rival: Fit | undefined): HarnessError {
  const n = traffic.exchanges.length;
  const files = traffic.files.join(', ');
  const looks = rival?.placed.size
    ? `it looks like ${rival.spec.id}'s traffic: ${rival.placed.size} of its ${n} entries fit ${rival.spec.id}'s ` +
      `documented operations (${operationsOf(rival.spec)})` +
      (rival.onHost ? `, ${rival.onHost} went to its documented server` : '')
    : `no provider's documented operations fit its requests (hosts ${hostsOf(traffic.exchanges) || 'none'})`;
  const judged = ours.view.calls.some((c) => c.operation === 'create' || c.operation === 'poll')
    ? `only ${ours.placed.size} of its ${n} entries fit ${spec.id}'s documented operations`
    : `no request in it matches ${spec.id}'s create (${spec.create.method} ${spec.create.path}) or poll ` +
      `(${spec.poll.method} ${spec.poll.path})`;
  return new HarnessError('WRONG_PROVIDER', `${files} is not ${spec.id}'s traffic: ${judged}; ${looks}`, {
    file: traffic.files[0],
    fix: rival?.placed.size
      ? `judge it as ${rival.spec.id}'s (verify-client --provider ${rival.spec.id} --har ${files}), or pass the ` +
        `HAR of a session against ${spec.id}`
      : `pass the provider the client talked to (--provider; kling-conformance specs lists them) and the HAR of its ` +
        'session',
  });
}

/** What the entries a spec does not place are: how many, and which other provider places most of them. */
function leftOutOf(spec: ProviderSpec, ours: Fit, rivals: Fit[], exchanges: Exchange[]): LeftOut {
  const left = exchanges.filter((x) => !ours.placed.has(x.index));
  const best = rivals
    .map((r) => ({ id: r.spec.id, n: left.filter((x) => r.placed.has(x.index)).length }))
    .sort((a, b) => b.n - a.n)[0];
  return {
    entries: left.length,
    why:
      `${left.length} of ${exchanges.length} entries fit none of ${spec.id}'s documented operations ` +
      `(${operationsOf(spec)}; hosts ${hostsOf(left)})` +
      (best?.n ? `: ${best.n} of them fit ${best.id}'s` : ''),
  };
}

/** The view of the placed calls only: what the left-out entries were is reported, not judged. */
function placedOnly(fit: Fit): TrafficView {
  const keep = (calls: TrafficView['calls']) => calls.filter((c) => fit.placed.has(c.index));
  return {
    spec: fit.spec,
    calls: keep(fit.view.calls),
    clients: fit.view.clients
      .map(({ client, calls }) => ({ client, calls: keep(calls) }))
      .filter((c) => c.calls.length > 0),
  };
}

/**
 * Which part of a recording is `spec`'s traffic. No entries at all is exit 2 `EMPTY_HAR`. Not this provider's at
 * all (exit 2, `WRONG_PROVIDER`): a file whose recorder named another provider; a recording with no request to the
 * provider's create or poll; one without our recorder's notes that another spec of `candidates` explains better (it
 * places every entry this one places, and more of them, or more on the exact documented paths or its documented
 * server). Otherwise the entries none of the provider's documented operations place (a browser's page loads, another
 * gateway's calls) are left out of the judging and counted, with why.
 */
export function scopeTraffic(spec: ProviderSpec, traffic: Traffic, candidates: ProviderSpec[]): TrafficScope {
  refuseEmpty(traffic);
  refuseRecordedForAnother(spec, traffic);
  const ours = fitOf(spec, traffic.exchanges);
  const rivals = candidates.filter((c) => c.id !== spec.id).map((c) => fitOf(c, traffic.exchanges));
  // our recorder's word (every file names this provider) outweighs a likeness: a gateway may sit under a base path
  const vouched = traffic.logs.every((l) => l.meta?.provider === spec.id);
  const better = vouched ? undefined : rivals.filter((r) => explainsBetter(r, ours)).sort(byFit)[0];
  if (better || !ours.view.calls.some((c) => c.operation === 'create' || c.operation === 'poll'))
    throw notThisProvider(spec, traffic, ours, better ?? rivals.sort(byFit)[0]);
  if (ours.placed.size === traffic.exchanges.length) return { view: ours.view };
  return { view: placedOnly(ours), leftOut: leftOutOf(spec, ours, rivals, traffic.exchanges) };
}
