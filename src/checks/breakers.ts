// How a check is broken in the proof that it can fail (test/checks-can-fail*.test.ts): one departure of the gateway or
// of the judged client, declared beside the check as data read from the spec (no field name of any provider written
// here). The shipped mock never applies these: the proof builds each as an msw handler in front of the faithful mock
// (test/support/breakers.ts), or loads the client module under fixtures/adapters/.
import type { CheckStatus } from './types.ts';

/** The operations a departing gateway tells apart, by path (the /__mock/ video link is `video`). */
export type BreakOperation = 'create' | 'poll' | 'video';

/** A gateway that departs from its documents in one way. */
export type GatewayDeparture =
  /** serves the documented example body in place of any create body its request schema rejects */
  | { gateway: 'accepts-invalid' }
  /** makes a task from the documented example for every create, then answers the create as documented */
  | { gateway: 'creates-then-answers' }
  /** sets these create-body fields (only where the body lacks them, with `whereMissing`) */
  | { gateway: 'sets-fields'; fields: { pointer: string; value: unknown }[]; whereMissing?: boolean }
  /** removes these create-body fields */
  | { gateway: 'drops-fields'; pointers: string[] }
  /** reads every create body as `{}` */
  | { gateway: 'empties-create' }
  /** adds a valid credential to every request of these operations: any key, or none, gets through */
  | { gateway: 'adds-credential'; operations: BreakOperation[] }
  /** puts a number at this pointer of a successful answer (no pointer: the task id, else the first other string) */
  | { gateway: 'retypes-field'; operation: 'create' | 'poll'; pointer?: string }
  /** error answers carry a body that the spec's own schema for their status rejects */
  | { gateway: 'undocumented-error-bodies' }
  /** status words in poll answers replaced (the documented word → another) */
  | { gateway: 'renames-status-words'; words: Record<string, string> }
  /** a task that never reaches a terminal status */
  | { gateway: 'never-ends' }
  /** the result link answers 404 */
  | { gateway: 'video-gone' }
  /** the result link serves the video with an HTML content type */
  | { gateway: 'video-as-html' }
  /** time stands still for the result link (it never expires) */
  | { gateway: 'stops-clock' }
  /** time runs this much ahead for the result link (it expires early) */
  | { gateway: 'skips-clock'; extraMs: number }
  /** every create answered 200 with a made-up task, whatever the documents say */
  | { gateway: 'placeholder-task' }
  /** successful polls name another task than the one polled */
  | { gateway: 'answers-other-task' }
  /** an operation's answers of one status come back with another */
  | { gateway: 'restatus'; operation: BreakOperation; from: number; to: number };

/** A judged client that departs from the documented retry advice: a module under fixtures/adapters/. */
export interface ClientDeparture {
  client: 'naive-retry-adapter' | 'constant-wait-adapter' | 'endless-retry-adapter' | 'no-jitter-adapter';
}

/** One way to break a check: the check must fail against it (with --strict; warn at least without). */
export type Breaker = GatewayDeparture | ClientDeparture;

/** A check that by design never fails for a provider: why, and what it gives on the faithful mock instead. */
export interface NeverFails {
  why: string;
  faithful: CheckStatus;
}

/** A breaker in words (test names, messages). */
export function describeBreaker(b: Breaker): string {
  if ('client' in b) return `client ${b.client}`;
  const { gateway, ...rest } = b;
  return Object.keys(rest).length ? `gateway ${gateway} ${JSON.stringify(rest)}` : `gateway ${gateway}`;
}
