import { describe, expect, it } from 'vitest';
import { redact, redactValue, registerSecret } from './redact.ts';

describe('redact', () => {
  it('removes registered secrets wherever they appear, and any Bearer token', () => {
    registerSecret('sk-unit-test-secret-123456');
    expect(redact('key=sk-unit-test-secret-123456; x')).toBe('key=[REDACTED]; x');
    expect(redact('Authorization: Bearer abc.def-ghi')).toBe('Authorization: Bearer [REDACTED]');
    expect(redact('"Bearer {{YOUR_API_KEY}}"')).toBe('"Bearer [REDACTED]"');
    expect(redact('Bearer sk7')).toBe('Bearer [REDACTED]');
    expect(redact('Bearer abcdefgh')).toBe('Bearer [REDACTED]');
    expect(redact('All APIs require Bearer Token authentication')).toBe('All APIs require Bearer Token authentication');
  });

  it('keeps JSON valid and leaves environment-variable references alone', () => {
    const value = { curl: 'curl -H "Authorization: Bearer $KLING_API_KEY" -d \'{"a":1}\'', header: 'Bearer secret-token-x' };
    const out = redactValue(value);
    expect(out.curl).toContain('Bearer $KLING_API_KEY');
    expect(out.header).toBe('Bearer [REDACTED]');
    expect(JSON.stringify(redactValue({ nested: [`x "Bearer tok-123" y`, 'Bearer tok-123\\"'] }))).not.toContain('tok-123');
  });
});
