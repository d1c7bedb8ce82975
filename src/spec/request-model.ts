import type { Claim, Source } from './model.ts';

// What a create request may carry and what the documents rule on it (x-conformance settings, alternatives, rules,
// firstFrame).

export interface SettingDecl {
  field: string;
  default: Claim[];
  values?: Record<string, number>;
  valuesInferred?: string;
  echo?: { pointer: string; inferred?: boolean; source: Source };
}

export interface Alternative {
  id: string;
  pointer: string;
  /**
   * the request body field the claims are about (JSON pointer into the body), where the pointer does not say it: a
   * `required` list, or a conditional's branch
   */
  field?: string;
  /** each a schema, or (for a `required` list) the list of field names, that replaces the one at `pointer` */
  claims: Claim<Record<string, unknown> | string[]>[];
}

export type Rule =
  | {
      id: string;
      kind: 'sum-equals';
      items: string;
      itemField: string;
      total: string;
      when?: { pointer: string; equals: unknown };
      message?: string;
      /** the HTTP status the documents give for a request that breaks the rule */
      status?: number;
      source: Source;
      prose?: boolean;
    }
  | {
      id: string;
      kind: 'schema';
      pointer: string;
      message: string;
      /** the HTTP status the documents give for a request that breaks the rule */
      status?: number;
      source: Source;
      prose?: boolean;
    }
  | {
      id: string;
      kind: 'precedence';
      prefer: string;
      over: string;
      message?: string;
      status?: number;
      source: Source;
      prose?: boolean;
    };

/** How a first frame would be sent to the text-to-video endpoint, and what the documents say happens. */
export interface FirstFrameDecl {
  set: Record<string, unknown>;
  remove?: string[];
  outcome: 'reject' | 'accept' | 'undocumented';
  status?: number;
  source: Source;
}
