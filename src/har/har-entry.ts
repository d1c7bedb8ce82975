import { encodedForms, redact } from '../core/redact.ts';
import { CLIENT_ID_HEADER, clientOf, credentialOf } from './client-id.ts';
import type { ExchangeNote, HarEntry, HarHeader } from './har-types.ts';

/** One exchange as a server adapter saw it: what came in, what went out, when (performance.now() times). */
export interface WireExchange {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
  startedAt: number;
  endedAt: number;
  /** undefined: the connection was dropped without an answer */
  response?: { status: number; headers: Record<string, string>; body: string | Uint8Array };
  note?: ExchangeNote;
}

/** Bodies longer than this are cut in the record (the size is kept): the record stays bounded per entry. */
export const BODY_TEXT_LIMIT = 64 * 1024;

const asText = (body: string | Uint8Array, mimeType: string): { text?: string; comment?: string } => {
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  if (size === 0) return { text: '' };
  if (typeof body !== 'string' && !/json|text|xml|form/.test(mimeType)) return { comment: 'binary body not recorded' };
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  return size > BODY_TEXT_LIMIT
    ? { text: text.slice(0, BODY_TEXT_LIMIT), comment: `cut to ${BODY_TEXT_LIMIT} of ${size} bytes` }
    : { text };
};

const headerList = (headers: Record<string, string | string[] | undefined>): HarHeader[] =>
  Object.entries(headers).flatMap(([name, v]) =>
    v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((value) => ({ name, value })),
  );

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** How a recorder knows the credential: the spec's auth header and prefix. */
export interface AuthForm {
  header: string;
  prefix: string;
}

/**
 * Builds HAR entries and redacts them: every encoded form of the credential the request carried (core/redact.ts's
 * forms: URL, JSON, base64… — whatever it learns), then the process-wide redaction (registered secrets, JWTs, any
 * credential after a known auth prefix). The credential itself never reaches the entry's text.
 */
export class EntryBuilder {
  private readonly forms = new Map<string, string[]>();
  private readonly wallBase = Date.now();
  private readonly monoBase = performance.now();
  private seq = 0;

  constructor(private readonly auth: AuthForm) {}

  /** The entry as one redacted JSON line. */
  line(x: WireExchange): string {
    const credential = credentialOf(first(x.headers[this.auth.header.toLowerCase()]), this.auth.prefix);
    const entry = this.entry(x, clientOf(first(x.headers[CLIENT_ID_HEADER]), credential));
    if (credential) entry._kc!.key = clientOf(undefined, credential);
    let text = JSON.stringify(entry);
    if (credential) for (const form of this.formsOf(credential)) text = text.split(form).join('[REDACTED]');
    return redact(text);
  }

  private entry(x: WireExchange, client: string): HarEntry {
    const requestType = first(x.headers['content-type']) ?? 'application/octet-stream';
    const request = asText(x.body, requestType);
    const res = x.response;
    const responseType = res?.headers['content-type'] ?? res?.headers['Content-Type'] ?? '';
    const content = res ? asText(res.body, responseType) : { comment: 'connection dropped without an answer' };
    const monotonicMs = Math.round((x.startedAt - this.monoBase) * 1000) / 1000;
    const url = new URL(x.url);
    return {
      startedDateTime: new Date(this.wallBase + monotonicMs).toISOString(),
      time: Math.max(0, Math.round((x.endedAt - x.startedAt) * 1000) / 1000),
      request: {
        method: x.method,
        url: x.url,
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: headerList(x.headers),
        queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
        ...(x.body.byteLength ? { postData: { mimeType: requestType, text: request.text ?? '' } } : {}),
        headersSize: -1,
        bodySize: x.body.byteLength,
      },
      response: {
        status: res?.status ?? 0,
        statusText: '',
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: res ? headerList(res.headers) : [],
        content: {
          size: res ? (typeof res.body === 'string' ? Buffer.byteLength(res.body) : res.body.byteLength) : 0,
          mimeType: responseType,
          ...content,
        },
        redirectURL: '',
        headersSize: -1,
        bodySize: -1,
      },
      cache: {},
      timings: { send: 0, wait: Math.max(0, Math.round((x.endedAt - x.startedAt) * 1000) / 1000), receive: 0 },
      _kc: { seq: ++this.seq, monotonicMs, client, ...x.note, ...(res ? {} : { dropped: true }) },
    };
  }

  /** The credential and its encoded forms, longest first (a form is never left half-replaced by a shorter one). */
  private formsOf(credential: string): string[] {
    let forms = this.forms.get(credential);
    if (!forms) {
      forms = [credential, ...encodedForms(credential)]
        .filter((f) => f.length >= 4)
        .sort((a, b) => b.length - a.length);
      if (this.forms.size >= 1000) this.forms.clear();
      this.forms.set(credential, forms);
    }
    return forms;
  }
}
