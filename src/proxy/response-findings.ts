import type { CheckResult, Finding } from '../checks/types.ts';
import { sourceText } from '../checks/sources.ts';
import { getAt } from '../core/json-pointer.ts';
import { redact } from '../core/redact.ts';
import { isSuccess } from '../spec/operations.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { phaseOf, statusWordOf } from '../spec/status-phase.ts';
import type { ProviderValidators } from '../validate/compile-validators.ts';

/** What a proxy saw of one documented shape: how many answers, and the findings (drift) among them. */
interface Tally {
  id: string;
  title: string;
  seen: number;
  findings: Finding[];
}

/** One answer that passed through the proxy: which exchange it was, and its body as it came. */
export interface ObservedAnswer {
  /** the exchange's number in arrival order (its HAR entry once the proxy knows which requests got none) */
  seq: number;
  /** the exchange's start (performance.now()): a finding names it as the HAR's startedDateTime */
  startedAt: number;
  /** the gateway's id for the answer, where it sent one */
  requestId?: string;
  bytes: Uint8Array;
}

/** The HAR entry (0-based) of the exchange numbered `seq`, or undefined when nothing is recorded. */
export type EntryIndex = (seq: number) => number | undefined;

/** A finding's exchange, to be named once the record's entries are known. */
interface Pending {
  seq: number;
  startedDateTime: string;
  requestId?: string;
}

/** The first bytes of a body that is not JSON, for a report: short, quoted, secrets removed. */
export function notJson(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.subarray(0, 60)).toString('utf8');
  const more = bytes.byteLength > 60 ? '…' : '';
  return `the body is not JSON (${bytes.byteLength} bytes: ${JSON.stringify(redact(text))}${more})`;
}

const parse = (bytes: Uint8Array): unknown => {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
};

/**
 * Judges answers that passed through the proxy against the documented shapes: a create's success body, a poll's
 * body for its status word (an undocumented word is drift too). Kept as results with the ids the run's shape checks
 * use, so `drift --results` reads them like any run's; each finding names its exchange (HAR entry, start, the
 * gateway's request id) and the documented schema's source.
 */
export class ResponseFindings {
  private readonly tallies = new Map<string, Tally>();
  private readonly pending = new Map<Finding, Pending>();

  /** `startedDateTime`: an exchange's start as its HAR entry writes it (computed for findings only) */
  constructor(
    private readonly spec: ProviderSpec,
    private readonly validators: ProviderValidators,
    private readonly startedDateTime: (startedAt: number) => string = (at) =>
      new Date(Date.now() - (performance.now() - at)).toISOString(),
  ) {}

  observe(operation: 'create' | 'poll', status: number, answer: ObservedAnswer): void {
    if (!isSuccess(this.spec, operation, status)) return;
    const body = parse(answer.bytes);
    if (operation === 'create') {
      const source = sourceText(this.spec, this.spec.create.responses[String(status)]?.['x-source'] as never);
      const validate = this.validators.response('create', status);
      this.add('shape.create', 'the create response matches the documented schema', answer, source, validate);
      return;
    }
    const word = statusWordOf(this.spec, body);
    const tally = `shape.poll.${word ?? 'unknown'}`;
    if (word === undefined || phaseOf(this.spec, word) === undefined) {
      const what = body === undefined ? notJson(answer.bytes) : `the undocumented status word ${JSON.stringify(word)}`;
      this.record(this.tally(tally, 'poll bodies carry a documented status word'), answer, {
        kind: body === undefined ? 'shape' : 'status-word',
        message: `a poll answered ${what}`,
        observed: word,
      });
      return;
    }
    const schema = this.spec.x.lifecycle.statuses[word]!.schema.slice(1);
    const source = sourceText(this.spec, getAt(this.spec.resolved, `${schema}/x-source`) as never);
    const title = `poll bodies of status ${word} match that status schema`;
    this.add(tally, title, answer, source, this.validators.pollStatus(word));
  }

  /** A request the upstream never answered (unreachable, timed out, reset): an error, never a pass. */
  upstreamFailure(message: string): void {
    const t = this.tally('proxy.upstream', 'the upstream answers every forwarded request');
    if (t.findings.length < 50)
      t.findings.push({ kind: 'evidence', message: `the upstream did not answer: ${message}` });
  }

  private tally(id: string, title: string): Tally {
    let t = this.tallies.get(id);
    if (!t) this.tallies.set(id, (t = { id, title, seen: 0, findings: [] }));
    t.seen += 1;
    return t;
  }

  /** A finding about one answer (at most 50 a shape), its exchange named once the record is known. */
  private record(t: Tally, answer: ObservedAnswer, finding: Finding): void {
    if (t.findings.length >= 50) return;
    t.findings.push(finding);
    this.pending.set(finding, {
      seq: answer.seq,
      startedDateTime: this.startedDateTime(answer.startedAt),
      ...(answer.requestId ? { requestId: answer.requestId } : {}),
    });
  }

  private add(
    id: string,
    title: string,
    answer: ObservedAnswer,
    source: string | undefined,
    validate: ((body: unknown) => { errors: { pointer: string; message: string }[] }) | undefined,
  ): void {
    const t = this.tally(id, title);
    const body = parse(answer.bytes);
    const errors =
      body === undefined ? [{ pointer: '', message: notJson(answer.bytes) }] : (validate?.(body).errors ?? []);
    for (const e of errors.slice(0, 5))
      this.record(t, answer, {
        kind: 'shape',
        message: e.pointer ? `${e.pointer} ${e.message}` : e.message,
        pointer: e.pointer,
        expected: 'the documented schema',
        ...(source ? { source } : {}),
      });
  }

  /** One result per shape seen: pass, or fail with the drift found, each finding naming its exchange. */
  results(entryIndex: EntryIndex = () => undefined): CheckResult[] {
    return [...this.tallies.values()].map((t) => {
      const findings = t.findings.map((f) => this.named(f, entryIndex));
      return {
        id: t.id,
        provider: this.spec.id,
        title: t.title,
        family: 'shape',
        paid: false,
        durationMs: 0,
        status: findings.length ? (t.id === 'proxy.upstream' ? 'error' : 'fail') : 'pass',
        message: findings.length
          ? `${findings.length} deviation(s) in ${t.seen} answer(s); first: ${findings[0]!.message}`
          : `${t.seen} answer(s), each as documented`,
        observed: { answers: t.seen },
        ...(findings.length ? { findings } : {}),
      };
    });
  }

  /**
   * A finding with its exchange named in its message ("HAR entry 3 (started …, request id r-7): …") and in its
   * requestIds (the gateway's id where it sent one, else the exchange's name).
   */
  private named(f: Finding, entryIndex: EntryIndex): Finding {
    const x = this.pending.get(f);
    if (!x) return f;
    const entry = entryIndex(x.seq);
    const about = [`started ${x.startedDateTime}`, ...(x.requestId ? [`request id ${x.requestId}`] : [])];
    const name = `${entry !== undefined ? `HAR entry ${entry}` : `exchange ${x.seq}`} (${about.join(', ')})`;
    const source = f.source ? `; documented: ${f.source}` : '';
    return { ...f, message: `${name}: ${f.message}${source}`, requestIds: [x.requestId ?? name] };
  }
}
