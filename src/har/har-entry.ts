import { encodedForms, redact } from '../core/redact.ts';
import { SecretScanner } from '../core/secret-scanner.ts';
import { CLIENT_ID_HEADER, clientOf, credentialOf } from './client-id.ts';
import type { ExchangeNote, KcEntryMeta } from './har-types.ts';

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
  private readonly forms = new Map<string, SecretScanner>();
  private readonly wallBase = Date.now();
  private readonly monoBase = performance.now();
  private seq = 0;

  private readonly authName: string;

  constructor(private readonly auth: AuthForm) {
    this.authName = auth.header.toLowerCase();
  }

  /** The entry as one redacted JSON line (HAR's fixed parts spelled out; only the exchange's values encoded). */
  line(x: WireExchange): string {
    const credential = credentialOf(first(x.headers[this.authName]), this.auth.prefix);
    let text = this.entryText(x, credential);
    // the header's own value was masked when the entry was built; these are echoes (a body, a URL) in any encoding
    if (credential) text = this.formsOf(credential).replace(text, '[REDACTED]');
    return redact(text);
  }

  private entryText(x: WireExchange, credential: string | undefined): string {
    const q = JSON.stringify;
    const requestType = first(x.headers['content-type']) ?? 'application/octet-stream';
    const res = x.response;
    const responseType = res?.headers['content-type'] ?? res?.headers['Content-Type'] ?? '';
    const content = res ? asText(res.body, responseType) : { comment: 'connection dropped without an answer' };
    const size = res ? (typeof res.body === 'string' ? Buffer.byteLength(res.body) : res.body.byteLength) : 0;
    const monotonicMs = Math.round((x.startedAt - this.monoBase) * 1000) / 1000;
    const time = Math.max(0, Math.round((x.endedAt - x.startedAt) * 1000) / 1000);
    const query = x.url.indexOf('?');
    const queryString =
      query < 0 ? [] : [...new URLSearchParams(x.url.slice(query + 1))].map(([name, value]) => ({ name, value }));
    const postData = x.body.byteLength
      ? `"postData":{"mimeType":${q(requestType)},"text":${q(asText(x.body, requestType).text ?? '')}},`
      : '';
    const kc: KcEntryMeta = {
      seq: ++this.seq,
      monotonicMs,
      client: clientOf(first(x.headers[CLIENT_ID_HEADER]), credential),
      ...(credential ? { key: clientOf(undefined, credential) } : {}),
      ...x.note,
      ...(res ? {} : { dropped: true }),
    };
    return (
      `{"startedDateTime":"${new Date(this.wallBase + monotonicMs).toISOString()}","time":${time},` +
      `"request":{"method":${q(x.method)},"url":${q(x.url)},"httpVersion":"HTTP/1.1","cookies":[],` +
      `"headers":${this.headersText(x.headers, true)},"queryString":${q(queryString)},${postData}` +
      `"headersSize":-1,"bodySize":${x.body.byteLength}},` +
      `"response":{"status":${res?.status ?? 0},"statusText":"","httpVersion":"HTTP/1.1","cookies":[],` +
      `"headers":${res ? this.headersText(res.headers, false) : '[]'},` +
      `"content":${q({ size, mimeType: responseType, ...content })},"redirectURL":"","headersSize":-1,"bodySize":-1},` +
      `"cache":{},"timings":{"send":0,"wait":${time},"receive":0},"_kc":${q(kc)}}`
    );
  }

  /** Headers as HAR's list, as JSON text; in a request, the auth header's credential masked. */
  private headersText(headers: WireExchange['headers'], request: boolean): string {
    let out = '';
    for (const name in headers) {
      const value = headers[name];
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) {
        const shown =
          request && name.toLowerCase() === this.authName
            ? one.startsWith(this.auth.prefix)
              ? `${this.auth.prefix}[REDACTED]`
              : '[REDACTED]'
            : one;
        out += `,{"name":${JSON.stringify(name)},"value":${JSON.stringify(shown)}}`;
      }
    }
    return `[${out.slice(1)}]`;
  }

  /** The credential and its encoded forms (each also as it reads inside a JSON string), ready to be found. */
  private formsOf(credential: string): SecretScanner {
    let forms = this.forms.get(credential);
    if (!forms) {
      const all = [credential, ...encodedForms(credential)];
      forms = new SecretScanner([...all, ...all.map((f) => JSON.stringify(f).slice(1, -1))]);
      if (this.forms.size >= 1000) this.forms.clear();
      this.forms.set(credential, forms);
    }
    return forms;
  }
}
