import type { CheckResult, CheckStatus, Finding } from '../checks/types.ts';
import { sourceText } from '../checks/sources.ts';
import { getAt } from '../core/json-pointer.ts';
import { redact } from '../core/redact.ts';
import { isSuccess } from '../spec/operations.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { phaseOf, statusWordOf } from '../spec/status-phase.ts';
import type { ProviderValidators } from '../validate/compile-validators.ts';
import type { CheckedCreate } from './check-create.ts';
import {
  type ErrorAnswerSeen,
  errorAnswerNotes,
  type Note,
  refusedValid,
  undocumentedStatus,
} from './answer-verdicts.ts';

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
  /** its headers (an error body that is not JSON is described by its content type) */
  headers?: Record<string, string>;
}

/** The request an answer was to: its method and target, and for a create what the proxy found of its body. */
export interface ObservedRequest {
  method: string;
  target: string;
  create?: CheckedCreate;
}

/** The results that say what a session could not judge (an upstream that never answered; refused keys). */
export const UPSTREAM_FAILED = 'proxy.upstream';
export const KEY_REFUSED = 'proxy.key_refused';

/** 401 and 403: the client's key may simply be wrong; the proxy cannot tell that from a gateway refusing a good one. */
const KEY_REFUSALS = new Set([401, 403]);

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
 * Judges answers that passed through the proxy against the documents: each status against the statuses documented
 * for its operation (answers.create, answers.poll: a 404 on a documented route too), a create's success body, a
 * poll's body for its status word (an undocumented word is drift too), an error body against the documented error
 * table (shape.error.<status>: its schema and code), and whether a create body the documents accept was accepted
 * (boundary.valid). A 401 or 403 is counted, not judged (proxy.key_refused). Kept as results with the ids the run's
 * checks use, so `drift --results` reads them like any run's; each finding names its exchange (HAR entry, start, the
 * gateway's request id) and its documented source.
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

  /**
   * One answer to a create or a poll: its status against the documented ones, a success body against its schema, an
   * error body against the documented error table, and a create body the proxy validated that the gateway refused.
   * A 401 or 403 is not judged (see KEY_REFUSED).
   */
  observe(
    operation: 'create' | 'poll',
    status: number,
    answer: ObservedAnswer,
    request: ObservedRequest = { method: operation === 'create' ? 'POST' : 'GET', target: '' },
  ): void {
    if (KEY_REFUSALS.has(status)) {
      this.keyRefused(operation, status, answer, request);
      return;
    }
    const undocumented = undocumentedStatus(this.spec, operation, status, request);
    this.note(`answers.${operation}`, `${operation} answers carry a status the documents give`, answer, undocumented);
    const success = isSuccess(this.spec, operation, status);
    // read as an error answer only where one is judged: a success body is parsed once, by its own verdict
    const seen = success ? undefined : errorAnswerSeen(status, answer);
    if (operation === 'create' && request.create?.valid) this.validCreate(request.create.json, seen, answer);
    if (success) this.success(operation, status, answer);
    else if (status >= 400 && !undocumented) {
      const title = `${status} error bodies match the documented envelope`;
      const t = this.tally(`shape.error.${status}`, title);
      for (const n of errorAnswerNotes(this.spec, operation, seen!)) this.record(t, answer, n);
    }
  }

  /** A create the documents accept: accepted (`seen` undefined: a success), or refused as invalid (drift). */
  private validCreate(json: unknown, seen: ErrorAnswerSeen | undefined, answer: ObservedAnswer): void {
    const refused = seen && refusedValid(this.spec, json, seen);
    if (seen && !refused) return;
    this.note('boundary.valid', 'creates the documents accept are accepted', answer, refused);
  }

  /** A 401 or 403: counted and named, never judged (not a pass, not drift). */
  private keyRefused(operation: string, status: number, answer: ObservedAnswer, request: ObservedRequest): void {
    const t = this.tally(KEY_REFUSED, 'answers 401/403: not judged (the client key may be wrong)');
    const path = request.target.split('?')[0];
    this.record(t, answer, {
      kind: 'evidence',
      message: `the upstream answered ${status} to the ${operation} ${request.method} ${path}`.replace(/ +$/, ''),
      observed: status,
    });
  }

  /** A success body against its documented schema (a poll's against its status word's). */
  private success(operation: 'create' | 'poll', status: number, answer: ObservedAnswer): void {
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
    const t = this.tally(UPSTREAM_FAILED, 'the upstream answers every forwarded request');
    if (t.findings.length < 50)
      t.findings.push({ kind: 'evidence', message: `the upstream did not answer: ${message}` });
  }

  /** One answer seen by a tally, with the finding about it where there is one. */
  private note(id: string, title: string, answer: ObservedAnswer, finding: Note | undefined): void {
    const t = this.tally(id, title);
    if (finding) this.record(t, answer, finding);
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

  /**
   * One result per tally: pass; fail with the drift found (warn where each finding is our reading, or where the
   * gateway follows another documented claim); error for an upstream that never answered; skip for refused keys.
   * Each finding names its exchange.
   */
  results(entryIndex: EntryIndex = () => undefined): CheckResult[] {
    return [...this.tallies.values()].map((t) => {
      const findings = t.findings.map((f) => this.named(f, entryIndex));
      const status = verdictOf(t.id, findings);
      return {
        id: t.id,
        provider: this.spec.id,
        title: t.title,
        family: t.id.split('.')[0]!,
        paid: false,
        durationMs: 0,
        status,
        message: messageOf(status, t.seen, findings),
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

/** A tally's verdict from its findings (see ResponseFindings.results). */
function verdictOf(id: string, findings: Finding[]): CheckStatus {
  if (id === KEY_REFUSED) return 'skip';
  if (!findings.length) return 'pass';
  if (id === UPSTREAM_FAILED) return 'error';
  const failing = findings.filter((f) => f.kind !== 'claim-followed');
  return failing.length && failing.some((f) => !f.inferred) ? 'fail' : 'warn';
}

function messageOf(status: CheckStatus, seen: number, findings: Finding[]): string {
  const first = findings[0]?.message;
  if (status === 'skip')
    return (
      `${seen} answer(s) 401/403, not judged: the proxy cannot tell a key the gateway wrongly refuses from a wrong ` +
      `key (the client's); run's auth checks judge them with a key the harness holds; first: ${first}`
    );
  if (status === 'pass') return `${seen} answer(s), each as documented`;
  if (findings.every((f) => f.kind === 'claim-followed'))
    return (
      `${seen} answer(s); ${findings.length} ${findings.length === 1 ? 'follows' : 'follow'} another documented ` +
      `claim than the chosen one; first: ${first}`
    );
  return `${findings.length} deviation(s) in ${seen} answer(s); first: ${first}`;
}

/** An answer as the error verdicts read it: its body where it is JSON, its first characters, its headers. */
function errorAnswerSeen(status: number, answer: ObservedAnswer): ErrorAnswerSeen {
  return {
    status,
    body: parse(answer.bytes),
    text: redact(Buffer.from(answer.bytes.subarray(0, 400)).toString('utf8')),
    ...(answer.headers ? { headers: answer.headers } : {}),
  };
}
