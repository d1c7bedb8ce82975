import { redact } from '../core/redact.ts';
import type { JournalEntry, WireExchange } from './har-entry.ts';
import type { HarEntry, HarHeader } from './har-types.ts';

/** Headers as HAR's list (a repeated header once per value). */
function headerList(headers: WireExchange['headers'] | undefined): HarHeader[] {
  const out: HarHeader[] = [];
  for (const name in headers ?? {}) {
    const value = headers![name];
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) out.push({ name, value: String(one) });
  }
  return out;
}

const headerValue = (headers: WireExchange['headers'] | undefined, name: string): string => {
  for (const key in headers ?? {}) {
    const value = headers![key];
    if (key.toLowerCase() === name && value !== undefined) return Array.isArray(value) ? (value[0] ?? '') : value;
  }
  return '';
};

function queryList(url: string): HarHeader[] {
  const at = url.indexOf('?');
  // decoded here: redacted again (the URL as written may hide a registered secret's spelling the decoding reveals)
  const query = at < 0 ? [] : [...new URLSearchParams(url.slice(at + 1))];
  return query.map(([name, value]) => ({ name: redact(name), value: redact(value) }));
}

/** A journal line's exchange as a HAR 1.2 entry; `epochMs` is the recording's wall clock at monotonic 0. */
export function harEntryOf(e: JournalEntry, epochMs: number): HarEntry {
  const requestType = headerValue(e.headers, 'content-type') || 'application/octet-stream';
  const responseType = headerValue(e.resHeaders, 'content-type');
  return {
    startedDateTime: new Date(epochMs + e.kc.monotonicMs).toISOString(),
    time: e.time,
    request: {
      method: e.method,
      url: e.url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: headerList(e.headers),
      queryString: queryList(e.url),
      ...(e.bodySize ? { postData: { mimeType: requestType, text: e.body ?? '' } } : {}),
      headersSize: -1,
      bodySize: e.bodySize,
      ...(e.bodyComment ? { comment: e.bodyComment } : {}),
    },
    response: {
      status: e.status,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: headerList(e.resHeaders),
      content: {
        size: e.resSize,
        mimeType: responseType,
        ...(e.resBody !== undefined ? { text: e.resBody } : {}),
        ...(e.resComment ? { comment: e.resComment } : {}),
      },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: e.time, receive: 0 },
    _kc: e.kc,
  };
}
