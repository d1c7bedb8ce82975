import { describe, expect, it } from 'vitest';
import { twiceEncodedForms } from '../../fixtures/hostile-gateway.ts';
import { ORDINARY_TEXTS, partlyEncodedForms } from '../../fixtures/partly-encoded.ts';
import { redact, redactValue, registerAuthPrefix, registerSecret } from './redact.ts';

// the prefix comes from a provider spec's auth scheme in real runs; 'Token ' stands in for any of them here
registerAuthPrefix('Token ');

describe('redact', () => {
  it('removes a secret only some of whose characters are encoded: decoded, then scanned (URL, JSON escapes)', () => {
    registerSecret('sk-leakONE-zz9988aa77');
    registerSecret('sk-Ab+Cd/Ef==Zq7');
    // only the dashes percent-encoded (and once more: %252D); an invalid escape does not stop the decoding
    expect(redact('GET /v1/tasks/abc?x=1&k2=sk%2DleakONE%2Dzz9988aa77 200')).toBe(
      'GET /v1/tasks/abc?x=1&k2=[REDACTED] 200',
    );
    expect(redact('u=%zz-sk%252DleakONE%252Dzz9988aa77')).toBe('u=%zz-[REDACTED]');
    // one character as \uXXXX and `\/` as PHP writes it; inside a report's JSON the escapes are escaped again
    expect(redact('{"k":"k=sk-Ab\\u002bCd\\/Ef==Zq7"}')).toBe('{"k":"k=[REDACTED]"}');
    const report = redactValue({ body: '{"p":"a \\"b\\"","k":"sk-Ab\\u002BCd\\/Ef==Zq7"}' });
    expect(JSON.parse(report.body)).toEqual({ p: 'a "b"', k: '[REDACTED]' });
    // percent inside a JSON escape inside percent: still found
    expect(redact('q=sk%2DAb\\u002b%43d%5C%2FEf%3D%3DZq7')).toBe('q=[REDACTED]');
    // text with a % or a \\ and no secret is left as it is
    const plain = '{"p":"100% \\"cat\\" \\u00e9 C:\\\\x"} a%2Db';
    expect(redact(plain)).toBe(plain);
  });

  it('removes registered secrets wherever they appear, and any credential after a registered auth prefix', () => {
    registerSecret('sk-unit-test-secret-123456');
    expect(redact('key=sk-unit-test-secret-123456; x')).toBe('key=[REDACTED]; x');
    expect(redact('Authorization: Token abc.def-ghi')).toBe('Authorization: Token [REDACTED]');
    expect(redact('"Token {{YOUR_API_KEY}}"')).toBe('"Token [REDACTED]"');
    expect(redact('Token sk7')).toBe('Token [REDACTED]');
    expect(redact('Token abcdefgh')).toBe('Token [REDACTED]');
    expect(redact('All APIs require Token auth')).toBe('All APIs require Token auth');
  });

  it('keeps JSON valid and leaves environment-variable references alone', () => {
    const value = {
      curl: 'curl -H "Authorization: Token $KLING_API_KEY" -d \'{"a":1}\'',
      header: 'Token secret-token-x',
    };
    const out = redactValue(value);
    expect(out.curl).toContain('Token $KLING_API_KEY');
    expect(out.header).toBe('Token [REDACTED]');
    expect(JSON.stringify(redactValue({ nested: [`x "Token tok-123" y`, 'Token tok-123\\"'] }))).not.toContain(
      'tok-123',
    );
  });

  it('masks any JWT, and a credential after every registered prefix', () => {
    registerAuthPrefix('Key ');
    expect(redact('Key fal-abcdef123')).toBe('Key [REDACTED]');
    expect(redact('x eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJhayJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ y')).toBe('x [REDACTED] y');
    expect(redact('Token abcdefgh')).toBe('Token [REDACTED]');
  });
});

describe('redact: every reversible encoding a gateway may echo', () => {
  const key = 'sk-Enc0d3d+k/y"q=&<x>\'-0123456789abcdef';
  registerSecret(key);
  const bytes = [...Buffer.from(key)];
  const forms: Record<string, string> = {
    'hex lower': Buffer.from(key).toString('hex'),
    'hex upper': Buffer.from(key).toString('hex').toUpperCase(),
    'HTML decimal entities': bytes.map((b) => `&#${b};`).join(''),
    'HTML hex entities': bytes.map((b) => `&#x${b.toString(16)};`).join(''),
    'HTML hex entities, upper': bytes.map((b) => `&#X${b.toString(16).toUpperCase()};`).join(''),
    'HTML named escapes': key
      .replace(/&/g, '&amp;')
      .replace(/"/g, '&quot;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;'),
    'every byte percent-encoded': bytes.map((b) => `%${b.toString(16)}`).join(''),
    'percent-encoded, lower hex': encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    'form encoding': new URLSearchParams({ k: key }).toString().slice(2),
    encodeURI: encodeURI(key),
    'JSON \\u escapes': [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
    'JSON with \\/': JSON.stringify(key).slice(1, -1).replace(/\//g, '\\/'),
    base64url: Buffer.from(`x${key}`).toString('base64url'),
    reversed: [...key].reverse().join(''),
  };
  const coreOf = (form: string) => form.slice(4, -4);

  it.each(Object.entries(forms))('%s: gone from text and from JSON values', (_name, form) => {
    const text = redact(`echo: <${form}> done`);
    expect(text).not.toContain(coreOf(form));
    expect(text).toContain('[REDACTED]');
    const value = redactValue({ body: `{"message": "bad key ${form}"}` });
    expect(JSON.stringify(value)).not.toContain(coreOf(JSON.stringify(form).slice(1, -1)));
    expect(value.body).not.toContain(coreOf(form));
  });

  it('leaves text without the key alone', () => {
    expect(redact('an ordinary message &amp; 0123 abcdef')).toBe('an ordinary message &amp; 0123 abcdef');
  });
});

describe('redact: mixed-case hex and encodings applied twice', () => {
  const key = 'sk-Tw1ce+k/y"q=&<x>-0123456789abcdef';
  registerSecret(key);

  it.each(Object.entries(twiceEncodedForms(key)))('%s: gone from text and from JSON values', (_name, form) => {
    const middle = (f: string) => f.slice(6, -6);
    const text = redact(`echo: <${form}> done`);
    expect(text).not.toContain(middle(form));
    expect(text).toContain('[REDACTED]');
    expect(JSON.stringify(redactValue({ body: `bad key ${form}` }))).not.toContain(
      middle(JSON.stringify(form).slice(1, -1)),
    );
  });

  it('finds a form in any case, and inside a longer encoded value', () => {
    const hex = Buffer.from(key).toString('hex');
    const mixed = [...hex].map((c, i) => (i % 3 ? c : c.toUpperCase())).join('');
    expect(redact(`x${mixed}y`)).toBe('x[REDACTED]y');
    expect(redact(Buffer.from(`prefix:${key}:suffix`).toString('base64'))).not.toContain(
      Buffer.from(key).toString('base64').slice(8, -8),
    );
  });
});

describe('redact: keys only partly encoded, base64 of such spellings, three layers with base64', () => {
  const key = 'sk-Pa/rt"ly&en c?d-0123456789abcdef';
  registerSecret(key);
  /** the part of a spelling only the key makes (a few characters at each end may be shared with other text) */
  const middle = (form: string) => form.slice(6, -6);

  it.each(Object.entries(partlyEncodedForms(key)))('%s: gone from text and from JSON values', (_name, form) => {
    const text = redact(`echo: <${form}> done`);
    expect(text).not.toContain(middle(form));
    expect(text).toMatch(/^echo: <.*\[REDACTED\].*> done$/);
    const value = redactValue({ body: `{"message": "bad key ${form}"}` });
    expect(value.body).not.toContain(middle(form));
    expect(JSON.stringify(value)).not.toContain(middle(JSON.stringify(form).slice(1, -1)));
  });

  it('removes a spelling still encoded after 4 rounds of decoding whole (fail closed)', () => {
    const deep = key.replace(/-/g, '%25252525252D');
    expect(redact(`a ${deep} b`)).toBe('a [REDACTED] b');
  });

  it('removes only the key: the text around a partly encoded key stays', () => {
    expect(redact('a=1&k=sk&#45;Pa/rt"ly&en c?d&#45;0123456789abcdef&b=2')).toBe('a=1&k=[REDACTED]&b=2');
    expect(redact('{"p":"x \\"y\\"","k":"sk%2DPa/rt\\"ly&en c?d%2D0123456789abcdef"}')).toBe(
      '{"p":"x \\"y\\"","k":"[REDACTED]"}',
    );
  });

  it.each(Object.entries(ORDINARY_TEXTS))('leaves ordinary text alone: %s', (_name, text) => {
    expect(redact(text)).toBe(text);
    expect(redactValue({ text })).toEqual({ text });
  });
});
