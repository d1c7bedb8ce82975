/**
 * Harness errors: something wrong with our inputs or setup (a bad spec, bad flags, an unreachable target).
 * They are never findings about a provider — those are data (see checks/). Every harness error has a stable
 * `code`, says where (file and JSON pointer when there is one) and what to do, and maps to exit code 2.
 */
export type HarnessErrorCode =
  | 'SPEC_NOT_FOUND'
  | 'SPEC_PARSE'
  | 'SPEC_INVALID'
  | 'USAGE'
  | 'CONFIG'
  | 'INPUT'
  | 'TARGET_UNREACHABLE'
  /** the live target answers, but not on the provider's documented create route: a wrong --base-url */
  | 'TARGET_NOT_FOUND'
  | 'IO'
  | 'NO_CHECKS'
  | 'RUN_INCOMPLETE'
  /** `--fail-on new`: nothing newly failed, but noise (429/5xx/timeouts) left checks unjudged */
  | 'UNJUDGED'
  | 'BUDGET'
  | 'WRONG_PROVIDER'
  /** verify-client: the HAR(s) hold no entry at all (a recorder stopped before any request) */
  | 'EMPTY_HAR';

export interface HarnessErrorDetails {
  file?: string;
  pointer?: string;
  fix?: string;
}

export class HarnessError extends Error {
  readonly code: HarnessErrorCode;
  readonly file?: string;
  readonly pointer?: string;
  readonly fix?: string;

  constructor(code: HarnessErrorCode, message: string, details: HarnessErrorDetails = {}) {
    super(message);
    this.name = 'HarnessError';
    this.code = code;
    this.file = details.file;
    this.pointer = details.pointer;
    this.fix = details.fix;
  }

  /** One readable block: `kling-conformance: SPEC_INVALID specs/x/openapi.yaml#/x-conformance/…: what. Fix: how.` */
  format(): string {
    const where = this.file ? ` ${this.file}${this.pointer !== undefined ? `#${this.pointer}` : ''}` : '';
    const fix = this.fix ? `\n  fix: ${this.fix}` : '';
    return `kling-conformance: ${this.code}${where}: ${this.message}${fix}`;
  }
}

/** Exit codes of every command: 0 all good, 1 findings (invalid body, failed checks, drift), 2 harness error. */
export const EXIT = { OK: 0, FINDINGS: 1, HARNESS: 2 } as const;
