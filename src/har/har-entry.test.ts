import { describe, expect, it } from 'vitest';
import { encodedForms, registerSecret } from '../core/redact.ts';
import { EntryBuilder, type WireExchange } from './har-entry.ts';

const auth = { header: 'Authorization', prefix: 'Bearer ' };

function exchange(credential: string, echo: string): WireExchange {
  return {
    method: 'POST',
    url: `http://127.0.0.1:1/v1/videos/generations?k=${encodeURIComponent(echo)}`,
    headers: { authorization: `Bearer ${credential}`, 'x-echo': echo },
    body: Buffer.from(JSON.stringify({ prompt: echo })),
    startedAt: 0,
    endedAt: 1,
    response: { status: 401, headers: { 'x-echo': echo }, body: JSON.stringify({ error: echo }) },
  };
}

describe('EntryBuilder.line', () => {
  it('a credential with a `"` (its forms can span the end of a JSON string): no form in the line', () => {
    const key = 'sk-quo"te\'d-9f8e7d';
    const builder = new EntryBuilder(auth);
    for (const form of [key, ...encodedForms(key)]) {
      const line = builder.line(exchange(key, `a ${form} b`));
      expect(JSON.parse(line).headers.authorization).toBe('Bearer [REDACTED]');
      expect(line, form).not.toContain(form);
    }
    // a peer splitting such a key over two header values: the line's text still never holds it
    const split = 'k","x-echo-2":"v';
    const x = {
      ...exchange(split, ''),
      headers: { authorization: `Bearer ${split}`, 'x-echo': 'a k', 'x-echo-2': 'v b' },
    };
    expect(builder.line(x)).not.toContain(split);
  });

  it('a secret registered after a string was remembered is redacted from the lines after it', () => {
    const later = 'rt-registered-later-5a4b3c';
    const builder = new EntryBuilder(auth);
    expect(builder.line(exchange('sk-one-1234567', later))).toContain(later);
    registerSecret(later);
    const line = builder.line(exchange('sk-one-1234567', later));
    for (const form of [later, ...encodedForms(later)]) expect(line, form).not.toContain(form);
  });
});
