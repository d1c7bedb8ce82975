import { existsSync, readFileSync, statSync } from 'node:fs';
import { HarnessError } from '../core/errors.ts';
import { CLIENT_ID_HEADER, clientOf, credentialOf } from './client-id.ts';
import { journalPath } from './har-recorder.ts';
import type { ExchangeNote, Har, HarEntry, HarHeader, KcLogMeta } from './har-types.ts';
import { harFromJournal, isJournal } from './read-journal.ts';

/** One request and its answer, as the traffic checks read it (from our recording or another tool's HAR). */
export interface Exchange {
  /** position in the recording, in start order */
  index: number;
  /** epoch milliseconds the request started (monotonic within one of our recordings) */
  startedMs: number;
  /** how long the answer took (HAR `time`); the request ended at startedMs + durationMs */
  durationMs: number;
  method: string;
  url: string;
  /** the URL's path (no query) */
  path: string;
  query: URLSearchParams;
  /** lower-case names; repeated headers joined with ", " */
  requestHeaders: Map<string, string>;
  requestBody?: string;
  /** 0 when the connection was dropped or the tool recorded no answer */
  status: number;
  responseHeaders: Map<string, string>;
  responseBody?: string;
  client: string;
  /** which credential it carried (a fingerprint; `none` without one) */
  keyId: string;
  note: ExchangeNote;
  /** the file it came from */
  file: string;
}

export interface Traffic {
  exchanges: Exchange[];
  meta: KcLogMeta[];
  files: string[];
  /** each file with the recorder's own facts (`log._kc`: the provider it recorded) where it has them */
  logs: { file: string; meta?: KcLogMeta }[];
}

/** The most a traffic file may hold (a larger one is refused, not read half). */
export const MAX_TRAFFIC_BYTES = 512 * 1024 * 1024;

const headerMap = (headers: HarHeader[] | undefined): Map<string, string> => {
  const map = new Map<string, string>();
  for (const h of headers ?? []) {
    if (typeof h?.name !== 'string') continue;
    const name = h.name.toLowerCase();
    const value = String(h.value ?? '');
    map.set(name, map.has(name) ? `${map.get(name)}, ${value}` : value);
  }
  return map;
};

function bodyText(content: { text?: string; encoding?: string; mimeType?: string } | undefined): string | undefined {
  if (typeof content?.text !== 'string') return undefined;
  return content.encoding === 'base64' ? Buffer.from(content.text, 'base64').toString('utf8') : content.text;
}

const HAR_FIX = 'export the session as HAR 1.2 (browser devtools "Save all as HAR", mitmproxy `har_dump`, k6)';

function readHarFile(file: string): Har {
  const path = existsSync(file) || !existsSync(journalPath(file)) ? file : journalPath(file);
  const text = readHarText(file, path);
  let har: Har;
  try {
    har = isJournal(text) ? harFromJournal(text) : (JSON.parse(text) as Har);
  } catch (err) {
    // a parse error names its position in the text: there is no pointer into a document that did not parse
    throw new HarnessError('INPUT', `${path} is not a HAR file: ${(err as Error).message}`, {
      file: path,
      fix: HAR_FIX,
    });
  }
  if (!Array.isArray(har?.log?.entries))
    throw new HarnessError('INPUT', `${path} is not a HAR file: no log.entries array`, {
      file: path,
      pointer: '/log/entries',
      fix: HAR_FIX,
    });
  return har;
}

/** The recording's text: a missing file, a directory or a file past the cap is a harness error naming it. */
function readHarText(file: string, path: string): string {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    throw new HarnessError('INPUT', `cannot read ${file}: no such file`, {
      file,
      fix: 'pass the HAR a mock --record, a proxy --record or another tool wrote',
    });
  }
  if (stat.isDirectory())
    throw new HarnessError('INPUT', `${path} is a directory, not a HAR file`, {
      file: path,
      fix: 'pass the HAR files themselves (e.g. --har dir/*.har), not their folder',
    });
  if (stat.size > MAX_TRAFFIC_BYTES)
    throw new HarnessError('INPUT', `${path} is ${stat.size} bytes, more than the ${MAX_TRAFFIC_BYTES} read`, {
      file: path,
      fix: 'split the recording (record shorter sessions)',
    });
  return readFileSync(path, 'utf8');
}

/**
 * One HAR entry as an Exchange; entries without a method or URL are left out (a page entry, a broken export), and so
 * are the mock's callback deliveries.
 */
function toExchange(entry: HarEntry, file: string, auth: { header: string; prefix: string }): Exchange | undefined {
  const req = entry?.request;
  if (typeof req?.method !== 'string' || typeof req.url !== 'string') return undefined;
  // the mock's own callback deliveries (mock --record) are its traffic to a receiver, not the client's
  if (entry._kc?.operation === 'callback') return undefined;
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return undefined;
  }
  const requestHeaders = headerMap(req.headers);
  const note: ExchangeNote = entry._kc ?? {};
  return {
    index: 0,
    startedMs: Date.parse(entry.startedDateTime) || 0,
    durationMs: typeof entry.time === 'number' && entry.time > 0 ? entry.time : 0,
    method: req.method.toUpperCase(),
    url: req.url,
    path: url.pathname,
    query: url.searchParams,
    requestHeaders,
    requestBody: typeof req.postData?.text === 'string' ? req.postData.text : undefined,
    status: typeof entry.response?.status === 'number' ? entry.response.status : 0,
    responseHeaders: headerMap(entry.response?.headers),
    responseBody: bodyText(entry.response?.content),
    client:
      entry._kc?.client ??
      clientOf(
        requestHeaders.get(CLIENT_ID_HEADER),
        credentialOf(requestHeaders.get(auth.header.toLowerCase()), auth.prefix),
      ),
    keyId:
      entry._kc?.key ?? clientOf(undefined, credentialOf(requestHeaders.get(auth.header.toLowerCase()), auth.prefix)),
    note: { taskId: note.taskId, step: note.step, fault: note.fault, operation: note.operation },
    file,
  };
}

/** Reads HAR files (ours, a journal a killed recorder left, or another tool's export) into one start-ordered list. */
export function readTraffic(files: string[], auth: { header: string; prefix: string }): Traffic {
  const exchanges: Exchange[] = [];
  const meta: KcLogMeta[] = [];
  const logs: Traffic['logs'] = [];
  for (const file of files) {
    const har = readHarFile(file);
    if (har.log._kc) meta.push(har.log._kc);
    logs.push({ file, ...(har.log._kc ? { meta: har.log._kc } : {}) });
    for (const entry of har.log.entries) {
      const x = toExchange(entry, file, auth);
      if (x) exchanges.push(x);
    }
  }
  // stable: entries with the same start keep their recorded order
  exchanges.sort((a, b) => a.startedMs - b.startedMs);
  exchanges.forEach((x, i) => {
    x.index = i;
  });
  return { exchanges, meta, files, logs };
}
