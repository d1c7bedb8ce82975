/** One documented claim as a drift report shows it. */
export interface ClaimView {
  value: unknown;
  source: string;
  /** the claim the mock follows */
  mock: boolean;
}

/** A fact where documents (or documents and observations) disagree. */
export interface DriftItem {
  provider: string;
  /** stable id of the fact: default.duration, range.duration, error.400.code, example.request-preview, … */
  fact: string;
  kind:
    | 'competing-claims'
    | 'example-breaks-schema'
    | 'default-outside-schema'
    | 'required-vs-optional'
    | 'prose-only-rule'
    | 'undocumented-in-seed'
    | 'extra-status-word'
    | 'cross-provider'
    | 'observed';
  message: string;
  claims?: ClaimView[];
  observed?: unknown;
  /** observed drift: the claim the observation matches, if any */
  matches?: string[];
  requestIds?: string[];
  /** observed drift: the document the chosen claim comes from */
  source?: string;
}

export interface DriftReport {
  kind: 'self' | 'observed';
  providers: string[];
  items: DriftItem[];
}
