import { describe, expect, it } from 'vitest';
import { twiceEncodedForms } from '../../fixtures/hostile-gateway.ts';
import { encodedForms } from '../core/redact.ts';
import { SecretScanner } from '../core/secret-scanner.ts';
import type { JournalEntry } from './har-entry.ts';
import { journalLine, RedactedLiterals } from './journal-line.ts';

const KEY = 'sk-literal-secret-7e3b0a';
/** the forms the recorder's scanner is built from: the key, its encoded forms, each also as JSON string text */
const scannerForms = [KEY, ...encodedForms(KEY)].flatMap((f) => [f, JSON.stringify(f).slice(1, -1)]);
const literals = () => new RedactedLiterals(new SecretScanner(scannerForms));

const full: JournalEntry = {
  kc: { seq: 7, monotonicMs: 12.5, client: 'c-1', key: 'key-0a1b', operation: 'poll', taskId: 't', step: 'ok' },
  time: 0.25,
  method: 'POST',
  url: 'http://127.0.0.1:1/v1/x?a="b"',
  headers: { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=\u00e9"\n'], skipped: undefined },
  body: '{"prompt":"p\\n"}',
  bodyComment: 'cut to 1 of 2 bytes',
  bodySize: 16,
  status: 429,
  resHeaders: { 'retry-after': '2' },
  resBody: '{"error":"slow down"}',
  resSize: 21,
  resComment: 'binary body not recorded',
};

describe('journalLine', () => {
  it('writes what JSON.stringify writes of the entry, every field present or left out', () => {
    const bare: JournalEntry = {
      kc: { seq: 1, monotonicMs: 0, client: 'anonymous', fault: 'f', dropped: true },
      time: 0,
      method: 'GET',
      url: 'http://h/',
      headers: {},
      bodySize: 0,
      status: 0,
      resSize: 0,
      resComment: 'connection dropped without an answer',
    };
    for (const entry of [full, bare]) expect(journalLine(entry, (s) => JSON.stringify(s))).toBe(JSON.stringify(entry));
  });

  it('writes every string through the literal writer: a key echoed anywhere is redacted', () => {
    const echo = (i: number) => `x ${scannerForms[i % scannerForms.length]} y`;
    let i = 0;
    const everywhere: JournalEntry = JSON.parse(JSON.stringify(full), (_k, v) =>
      typeof v === 'string' ? echo(i++) : v,
    );
    everywhere.headers = { [echo(i++)]: echo(i++), list: [echo(i++), echo(i++)] };
    const line = journalLine(everywhere, literals().of);
    expect(JSON.parse(line)).toBeTruthy();
    for (const form of [KEY, ...encodedForms(KEY)]) expect(line).not.toContain(form);
  });
});

describe('RedactedLiterals', () => {
  it('redacts every form the scanner knows, the first time and when the same string comes again', () => {
    const forms = [...encodedForms(KEY), ...Object.values(twiceEncodedForms(KEY))];
    const lit = literals();
    for (let round = 0; round < 2; round++)
      for (const form of [KEY, ...forms]) {
        const out = lit.of(`{"echo":"${form}"}`);
        expect(out, form).not.toContain(form);
        expect(out).toContain('[REDACTED]');
        expect(JSON.parse(out)).toContain('{"echo":');
      }
  });

  it('refers to a string that recurs by the id of one line defining its redacted literal', () => {
    const defined: string[] = [];
    const lit = new RedactedLiterals(new SecretScanner(scannerForms), (literal) => defined.push(literal));
    const echo = `{"echo":"${encodedForms(KEY)[3]}"}`;
    // first time: the literal in the line; again: defined once, then the id every time
    expect(lit.ref(echo)).toBe(lit.of(echo));
    expect([lit.ref(echo), lit.ref(echo)]).toEqual(['1', '1']);
    expect(lit.ref('other')).toBe('"other"');
    expect(lit.ref('other')).toBe('2');
    expect(defined).toEqual([lit.of(echo), '"other"']);
    expect(defined[0]).toContain('[REDACTED]');
    for (const form of [KEY, ...encodedForms(KEY)]) expect(defined.join('')).not.toContain(form);
    // without a journal to define strings in: always the literal
    const standalone = literals();
    expect([standalone.ref('x'), standalone.ref('x')]).toEqual(['"x"', '"x"']);
  });

  it('stays correct past its memo bound (forgetting, never mixing up strings)', () => {
    const lit = literals();
    for (let i = 0; i < 2000; i++) {
      expect(lit.of(`task-${i}`)).toBe(`"task-${i}"`);
      expect(lit.of(`${KEY}-${i}`)).toBe(`"[REDACTED]-${i}"`);
    }
  });
});
