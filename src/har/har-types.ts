/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), the exchange log browsers, mitmproxy, Charles and k6
 * read and write. What this tool adds rides in `_kc` (HAR allows custom fields that start with an underscore).
 */
export interface HarHeader {
  name: string;
  value: string;
}

export interface HarRequest {
  method: string;
  url: string;
  httpVersion: string;
  cookies: unknown[];
  headers: HarHeader[];
  queryString: HarHeader[];
  postData?: { mimeType: string; text: string };
  headersSize: number;
  bodySize: number;
}

export interface HarResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  cookies: unknown[];
  headers: HarHeader[];
  content: { size: number; mimeType: string; text?: string; encoding?: string; comment?: string };
  redirectURL: string;
  headersSize: number;
  bodySize: number;
}

/** What the mock (or proxy) knew about an exchange that the wire does not say. */
export interface ExchangeNote {
  /** the task the exchange created or concerned */
  taskId?: string;
  /** the scenario step that answered (`ok`, `429:1`, `commit-500`, `expired-link`…) */
  step?: string;
  /** the fault plan entry that injected the step, when one did */
  fault?: string;
  /** which operation of the spec the path matched (create, poll, result, cancel, download) */
  operation?: string;
}

export interface KcEntryMeta extends ExchangeNote {
  /** order of arrival at the recorder */
  seq: number;
  /** milliseconds since the recording started, from a monotonic clock (never goes backwards) */
  monotonicMs: number;
  /** who sent it: the x-client-id header, else a fingerprint of the credential (never the credential) */
  client: string;
  /**
   * a fingerprint of the credential (`key-<12 hex>`, HMAC-SHA256 under the recorder's secret salt): tells a retry with
   * a new key from one with the same key
   */
  key?: string;
  /** the connection was dropped without an answer (scenario `reset`) */
  dropped?: boolean;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: HarRequest;
  response: HarResponse;
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  _kc?: KcEntryMeta;
}

/** The recording's own facts: provider, fault plan, limits reached. */
export interface KcLogMeta {
  provider?: string;
  /** epoch milliseconds at the recording's monotonic 0 (a journal's entries carry only their monotonic start) */
  epochMs?: number;
  /**
   * names the secret salt the key fingerprints (`_kc.key`, `_kc.client`) were made with (client-id.ts): recordings
   * naming the same salt fingerprint the same key alike; the salt itself is never written
   */
  fingerprints?: string;
  /** who answered: our mock, or a real gateway behind the proxy */
  target?: 'mock' | 'live';
  /** the fault plan the session ran under (name, seed and entries), listed so a reader knows what was injected */
  faults?: unknown;
  /** entries not recorded because a bound (entries or bytes) was reached */
  dropped?: number;
  /** started from a journal whose last line was cut short (a killed process): that line is left out */
  tornTail?: boolean;
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    pages?: unknown[];
    entries: HarEntry[];
    comment?: string;
    _kc?: KcLogMeta;
  };
}
