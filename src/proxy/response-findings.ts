import type { CheckResult, Finding } from '../checks/types.ts';
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

/**
 * Judges answers that passed through the proxy against the documented shapes: a create's success body, a poll's
 * body for its status word (an undocumented word is drift too). Kept as results with the ids the run's shape checks
 * use, so `drift --results` reads them like any run's.
 */
export class ResponseFindings {
  private readonly tallies = new Map<string, Tally>();

  constructor(
    private readonly spec: ProviderSpec,
    private readonly validators: ProviderValidators,
  ) {}

  observe(operation: 'create' | 'poll', status: number, body: unknown, requestId?: string): void {
    if (!isSuccess(this.spec, operation, status)) return;
    if (operation === 'create') {
      const errors = this.validators.response('create', status)?.(body).errors ?? [];
      this.add('shape.create', 'the create response matches the documented schema', errors, requestId);
      return;
    }
    const word = statusWordOf(this.spec, body);
    const tally = `shape.poll.${word ?? 'unknown'}`;
    if (word === undefined || phaseOf(this.spec, word) === undefined) {
      this.tally(tally, 'poll bodies carry a documented status word').findings.push({
        kind: 'status-word',
        message: `a poll answered the undocumented status word ${JSON.stringify(word)}`,
        observed: word,
        requestIds: requestId ? [requestId] : undefined,
      });
      return;
    }
    const errors = this.validators.pollStatus(word)?.(body).errors ?? [];
    this.add(tally, `poll bodies of status ${word} match that status schema`, errors, requestId);
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

  private add(id: string, title: string, errors: { pointer: string; message: string }[], requestId?: string): void {
    const t = this.tally(id, title);
    for (const e of errors.slice(0, 5))
      if (t.findings.length < 50)
        t.findings.push({
          kind: 'shape',
          message: `${e.pointer || 'body'} ${e.message}`,
          pointer: e.pointer,
          requestIds: requestId ? [requestId] : undefined,
        });
  }

  /** One result per shape seen: pass, or fail with the drift found. */
  results(): CheckResult[] {
    return [...this.tallies.values()].map((t) => ({
      id: t.id,
      provider: this.spec.id,
      title: t.title,
      family: 'shape',
      paid: false,
      durationMs: 0,
      status: t.findings.length ? (t.id === 'proxy.upstream' ? 'error' : 'fail') : 'pass',
      message: t.findings.length
        ? `${t.findings.length} deviation(s) in ${t.seen} answer(s); first: ${t.findings[0]!.message}`
        : `${t.seen} answer(s), each as documented`,
      observed: { answers: t.seen },
      ...(t.findings.length ? { findings: t.findings } : {}),
    }));
  }
}
