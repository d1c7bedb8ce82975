import type { Source } from './model.ts';

// Callbacks (webhooks): where a task's end is delivered, under which rules, signed and redelivered how
// (x-conformance callbacks).

/** The documented callbacks of a provider (`x-conformance.callbacks`). */
export interface CallbackDecl {
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
