/**
 * The typed shape of a provider spec: the OpenAPI document plus its `x-conformance` block
 * (validated by x-conformance.schema.json). Everything after spec/ reads providers through these types.
 */

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

export interface RetryAdvice {
  retry: boolean;
  delaysMs?: number[];
  minRetries?: number;
  jitter?: boolean;
  retryAfter?: boolean;
  afterFix?: 'api_key' | 'payload';
  /** why parts of this advice are our reading */
  inferred?: string;
  /** the document says the waits grow */
  backoff?: boolean;
  delaysInferred?: boolean;
  countInferred?: boolean;
  /** a wait may lie within [minFactor, maxFactor] × the delay; with the jitter draw at its top it reaches the delay */
  jitterTolerance?: { minFactor: number; maxFactor: number; inferred?: string; source: Source };
  /** a longer Retry-After is not waited out */
  retryAfterCapMs?: number;
  retryAfterCapInferred?: string;
  source: Source;
}

/** How a first frame would be sent to the text-to-video endpoint, and what the documents say happens. */
export interface FirstFrameDecl {
  set: Record<string, unknown>;
  remove?: string[];
  outcome: 'reject' | 'accept' | 'undocumented';
  status?: number;
  source: Source;
}

export interface ErrorDecl {
  /** absent where the documents name the status but no code */
  code?: Claim<string | number>[];
  /** further codes the same documents give for this status, all valid (not competing claims) */
  otherCodes?: { value: string | number; source: Source; inferred?: boolean }[];
  body: Record<string, unknown>;
  documentedOnly?: boolean;
  /** where the body template's shape comes from, and why it is our reading where it is */
  source?: Source;
  inferred?: string;
}

/** One documented way a request fails authentication, and the answer it gets. */
export interface AuthCondition {
  status: number;
  code?: string | number;
  inferred?: boolean;
  source: Source;
  /** competing answers other documents give for the same condition (a guide's 401 vs an error table's 400) */
  otherClaims?: { status: number; code?: string | number; inferred?: boolean; source: Source }[];
}

export type AuthConditionName = 'missing' | 'malformed' | 'wrongKey' | 'expired' | 'notYetValid';

/** How a request authenticates: read by the mock, the client, curl repros and redaction. */
export interface AuthScheme {
  header: string;
  /** text before the credential in the header value, e.g. "Bearer " or "Key " (may be empty) */
  prefix: string;
  credential:
    | { kind: 'static'; env: string }
    | {
        kind: 'jwt';
        algorithm: 'HS256' | 'HS384' | 'HS512';
        accessKeyEnv: string;
        secretKeyEnv: string;
        issuerClaim: string;
        lifetimeSeconds: number;
        notBeforeSkewSeconds?: number;
        typ?: string;
      };
  conditions?: Partial<Record<AuthConditionName, AuthCondition>>;
  source: Source;
}

/** A named operation of the task API. `urlFrom` points into the create response at the operation's absolute URL. */
export interface TaskOperationDecl {
  operationId: string;
  inferred?: boolean;
  taskId: { in: 'path' | 'query'; name: string };
  /** HTTP statuses that mean success (default [200]) */
  success?: number[];
  urlFrom?: string;
  source?: Source;
}

export type TaskOperationName = 'poll' | 'result' | 'cancel';

export interface Rate {
  perSecond?: number;
  perMinute?: number;
  burst?: number;
}

/**
 * Whose requests one rate limit counts: one user's (every key and client of the account), one API key's, or one
 * client's; and whether a request answered 429 counts (absent: the documents do not say).
 */
export interface RateScope {
  per: 'user' | 'key' | 'client';
  countsRejected?: boolean;
  source: Source;
}

export interface Lifecycle {
  idPointer: string;
  /** where the id may be when idPointer is empty (the JSON-Schema gateway's id and task_id: prefer id) */
  idFallbackPointers?: string[];
  statusPointer: string;
  createStatusPointer?: string;
  /** where the status may be when its pointer is empty (the JSON-Schema gateway's task_status, the upstream's name) */
  statusFallbackPointers?: string[];
  statuses: Record<string, { schema: string }>;
  /** further documented words and the phase each stands for (default initial), e.g. upstream's legacy `succeed` */
  extraStatuses?: (Claim<string> & { phase?: 'initial' | 'running' | 'succeeded' | 'failed' })[];
  initial: string;
  running: string;
  succeeded: string;
  /** absent where no failed status word is documented (fal: a failed request still reads COMPLETED) */
  failed?: string;
  resultUrlPointer: string;
  /** which operation's body carries the result URL (default poll) */
  resultFrom?: 'poll' | 'result';
  inferred?: boolean;
  source: Source;
  malformedId?: { status: number; code: string; source: Source };
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
  callbacks?: {
    /** the request field that carries the URL; absent where it is configured elsewhere (a console) */
    field?: string;
    /** how each delivery is signed (the mock signs with the account's webhook secret); absent: unsigned */
    signature?: CallbackSignature;
    retryWindowSeconds?: number;
    /** the documented waits before each redelivery of a failed callback, in seconds */
    retryDelaysSeconds?: number[];
    /** how a failed delivery is redelivered by retryDelaysSeconds (the mock reads it); absent: delivered once */
    redelivery?: CallbackRedelivery;
    /** present: a request without the callback field is delivered to the account's default callback URL */
    accountDefault?: { inferred?: string; source: Source };
    configured?: string;
    /**
     * a request carrying the callback field is refused with this documented error unless the account has these
     * webhook settings configured (the mock's Token: its callbackDefault and callbackSecret options)
     */
    requiresConfiguredWebhook?: {
      needs: ('default-url' | 'secret')[];
      status: number;
      code: string | number;
      source: Source;
    };
    /** documented rules on the URL's parts (userinfo, fragment, port, origin), enforced by validate and the mock */
    urlRules?: CallbackUrlRule[];
    httpsOnly: boolean;
    forbidInternal: boolean;
    timeoutSeconds?: number;
    retries?: number;
    events: string[];
    source: Source;
    payloadInferred?: string;
    /** the documented event body per way a task ends, in place of the poll body; the event's type names the event */
    payload?: {
      events: Partial<Record<'succeeded' | 'failed' | 'test', CallbackEvent>>;
      inferred?: string;
      source: Source;
    };
    /** the part of the poll body a callback POSTs (`/data`: the task without the query envelope); absent: all of it */
    payloadPointer?: string;
    /** where the callback body's format is documented */
    payloadSource?: Source;
    /** why these rules are our reading (e.g. "publicly reachable" read as no internal addresses) */
    inferred?: string;
  };
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

/** One documented rule on a callback URL's parts; `inferred` says why the rule (or its details) is our reading. */
export interface CallbackUrlRule {
  rule: 'no-userinfo' | 'no-fragment' | 'legal-port' | 'same-origin';
  /** legal-port: the ports refused */
  badPorts?: number[];
  /** same-origin: where the URL whose scheme, host and port must be kept is configured */
  origin?: string;
  inferred?: string;
  source: Source;
}

/** One documented callback event: its name and body template (a test event names event placeholders only). */
export interface CallbackEvent {
  type: string;
  body: unknown;
  inferred?: string;
  source?: Source;
}

/**
 * How a failed callback delivery is sent again (by `callbacks.retryDelaysSeconds`): the answers that deliver
 * (`2xx`, `200`: anything else, no answer within `timeoutSeconds`, a refused connection, a redirect is a failure),
 * where each wait starts, and which time a redelivery is signed with. The event id is kept.
 */
export interface CallbackRedelivery {
  delivered: string[];
  waitFrom: 'previous-attempt' | 'first-attempt';
  timestamp: 'resend' | 'first-attempt';
  inferred?: string;
  source: Source;
}

/**
 * A documented webhook signature: the headers every delivery carries and the HMAC over the signed bytes. Templates:
 * `signedBytes` names {{id}} (the event id), {{timestamp}} and {{body}} (the raw request body); `value` names {{hex}}
 * or {{base64}} (the digest).
 */
export interface CallbackSignature {
  header: string;
  /** the documented form of the header, as the page prints it (with a second value after a secret rotation) */
  format: string;
  algorithm: 'HMAC-SHA1' | 'HMAC-SHA256' | 'HMAC-SHA384' | 'HMAC-SHA512';
  value: string;
  signedBytes: string;
  idHeader?: string;
  timestampHeader?: string;
  /** how the timestamp header is written */
  timestamp?: { format: 'unix-seconds' | 'unix-ms' | 'iso'; inferred?: string };
  /** the event ids the mock makes: this prefix and random hex */
  eventId?: { prefix: string; inferred?: string };
  /**
   * after a secret rotation, for `overlapSeconds`, the header holds the new secret's value, the separator, and the
   * previous secret's value (the mock: its previous secret, rotated when it starts)
   */
  rotation?: { overlapSeconds: number; separator: string; inferred?: string; source: Source };
  inferred?: string;
  source: Source;
}
