/**
 * The typed shape of a provider spec: the OpenAPI document plus its `x-conformance` block
 * (validated by x-conformance.schema.json). Everything after spec/ reads providers through these types. The parts
 * of the block each have their file: request-model.ts (what a create may carry), auth-model.ts, task-model.ts (task
 * operations and lifecycle), error-model.ts (errors, retry advice, rate limits) and callback-model.ts.
 */

import type { AuthScheme } from './auth-model.ts';
import type { CallbackDecl } from './callback-model.ts';
import type { ErrorDecl, Rate, RateScope, RetryAdvice } from './error-model.ts';
import type { Alternative, FirstFrameDecl, Rule, SettingDecl } from './request-model.ts';
import type { Lifecycle, TaskOperationDecl, TaskOperationName } from './task-model.ts';

export interface Source {
  ref: string;
  part: string;
  inferred?: boolean;
  prose?: boolean;
  /** seen on a live run rather than read in a document */
  observed?: { date: string; requestId: string };
}

/** One documented claim about a fact; several claims = the documents disagree. */
export interface Claim<T = unknown> {
  value: T;
  source: Source;
  mock?: boolean;
  inferred?: boolean;
}

export interface Pricing {
  kind: 'unpublished' | 'per_second' | 'credits_per_second' | 'relative';
  currency?: string;
  usdPerCredit?: number;
  minimumSeconds?: number;
  billedOn?: string;
  rates?: { when: Record<string, unknown>; perSecond: number }[];
  multipliers?: { when: Record<string, unknown>; claims: Claim<number>[] }[];
  range?: { min?: number; max?: number };
  /** prices the documents quote for whole requests (API in One: the default task is 300 credits) */
  quotes?: { settings: Record<string, unknown>; durationSeconds: number; amount: number; source: Source }[];
  source: Source;
}

export interface Conformance {
  /** role upstream: the model maker's own API (compare shows it first and marks where gateways depart from it) */
  provider: { id: string; gateway: string; model: string; kind: 'text-to-video'; role?: 'upstream' | 'gateway' };
  /** `confidence: inferred` marks a document we only infer from (another product's page): every fact citing it is
   * inferred */
  sources: Record<string, { doc: string; title: string; confidence?: 'documented' | 'inferred'; why?: string }>;
  availability: {
    state: 'available' | 'not_available';
    claims: Claim<string>[];
    response?: { status: number; body: Record<string, unknown>; inferred?: boolean; source: Source };
  };
  auth: AuthScheme;
  /** where the prompt goes; `alternatives` carry it instead (the JSON-Schema gateway's contents) */
  prompt: { field: string; alternatives?: string[]; source?: Source };
  /** the status a request the schema rejects gets (default 400; fal answers 422) */
  invalidRequest?: { status: number; source: Source };
  operations: {
    create: { operationId: string; requestIdPointer?: string; success?: number[] };
    poll: TaskOperationDecl;
    result?: TaskOperationDecl;
    cancel?: TaskOperationDecl;
  };
  settings: Record<string, SettingDecl> & {
    duration: SettingDecl;
    resolution?: SettingDecl;
    aspect_ratio: SettingDecl;
  };
  alternatives?: Alternative[];
  rules?: Rule[];
  normalise?: { field: string; map: Record<string, string>; source: Source }[];
  /** a client-chosen task id; `dedupe: false` where it serves lookup only and does not deduplicate creates */
  idempotency?: { field: string; dedupe?: boolean; purpose?: string; source: Source };
  firstFrame: FirstFrameDecl;
  /** a 2xx whose code is not a success value is a failure (the JSON-Schema gateway's envelope) */
  envelope?: { codePointer: string; success: unknown[]; source: Source };
  statements?: { id: string; text: string; inferred?: boolean; source: Source }[];
  callbacks?: CallbackDecl;
  lifecycle: Lifecycle;
  resultLink: {
    lifetimeSeconds: Claim<number>[];
    expired: { status: number; inferred?: boolean; source: Source };
    /** where the body that carries the result URL states this link's own lifetime in seconds (a `…_ttl` field) */
    ttlPointer?: { pointer: string; source: Source };
  };
  errors: Record<string, ErrorDecl>;
  retry: Record<string, RetryAdvice>;
  rateLimit?: { create: Rate; poll?: Rate; scope?: RateScope; headers: Record<string, string>; source: Source };
  pricing: Pricing;
  responses: {
    create: Record<string, unknown>;
    poll: Record<string, Record<string, unknown>> & { default: Record<string, unknown> };
    /** the result operation's body for a succeeded task */
    result?: Record<string, unknown>;
    /** the cancel operation's answer */
    cancel?: { status: number; body: Record<string, unknown> };
    taskIdPrefix: string;
    failureCodes?: { generation?: string | number; policy?: string | number };
  };
}

export type JsonSchema = Record<string, unknown>;

export interface OperationModel {
  operationId: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** OpenAPI path template, e.g. /v1/tasks/{id} */
  path: string;
  requestSchema?: JsonSchema;
  /** where the request schema sits in the document, e.g. /components/schemas/CreateRequest */
  requestSchemaPointer?: string;
  /** HTTP status -> response body schema (refs resolved) */
  responses: Record<string, JsonSchema | undefined>;
  examples: { name: string; value: unknown }[];
}

/** Which claim to follow where documents disagree: the one marked for the mock, or the first other one. */
export type ClaimChoice = 'mock' | 'other';

/** A loaded, validated provider spec. `raw` is the document as written; `resolved` has every $ref inlined. */
export interface ProviderSpec {
  id: string;
  dir: string;
  file: string;
  raw: Record<string, unknown>;
  resolved: Record<string, unknown>;
  x: Conformance;
  create: OperationModel;
  poll: OperationModel;
  /** the further declared task operations (result, cancel) */
  operations: Partial<Record<TaskOperationName, OperationModel>>;
}
