import { HarnessError } from './errors.ts';
import { registerSecret } from './redact.ts';

/** -H 'Name: value' → { name: value }; the values are registered for redaction (a header may carry a secret). */
export function parseHeaders(values: string[]): Record<string, string> | undefined {
  if (!values.length) return undefined;
  const out: Record<string, string> = {};
  for (const v of values) {
    const m = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+):\s*(.*)$/.exec(v);
    if (!m)
      throw new HarnessError('USAGE', '-H takes a header as "Name: value" (the value given is not shown)', {
        fix: "pass e.g. -H 'X-Route: eu-1'",
      });
    registerSecret(m[2]!);
    out[m[1]!.toLowerCase()] = m[2]!;
  }
  return out;
}
