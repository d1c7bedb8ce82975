import { describe, expect, it } from 'vitest';
import { redact, redactValue, registerAuthPrefix, registerSecret } from './redact.ts';

// the prefix comes from a provider spec's auth scheme in real runs; 'Token ' stands in for any of them here
registerAuthPrefix('Token ');

describe('redact', () => {
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
