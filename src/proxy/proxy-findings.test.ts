import { beforeAll, describe, expect, it } from 'vitest';
import { registerSecret } from '../core/redact.ts';
import { loadSpecById } from '../spec/load-spec.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { invalidRequestStatus } from '../spec/operations.ts';
import { compileValidators } from '../validate/compile-validators.ts';
import { proxyError } from './proxy-answers.ts';
import { ResponseFindings } from './response-findings.ts';

let spec: ProviderSpec;
beforeAll(async () => {
  spec = await loadSpecById('evolink-kling-v3-t2v');
});
const bytes = (text: string) => new Uint8Array(Buffer.from(text));
const T = '2026-12-04T10:00:37.444Z';

describe('proxy findings: which exchange drifted, on whose word, in words', () => {
  it('names the HAR entry, its start and the gateway request id; a body that is not JSON is said so, redacted', () => {
    const secret = 'sk-proxy-findings-secret-91';
    registerSecret(secret);
    const findings = new ResponseFindings(spec, compileValidators(spec), () => T);
    findings.observe('create', 200, { seq: 4, startedAt: 1, requestId: 'r-7', bytes: bytes('<html>oops') });
    findings.observe('create', 200, { seq: 6, startedAt: 1, bytes: bytes(`not json ${secret}`) });
    const create = findings.results((seq) => seq - 1).find((r) => r.id === 'shape.create');
    expect(create).toMatchObject({ id: 'shape.create', status: 'fail' });
    const [first, second] = create!.findings!;
    expect(first!.message).toMatch(
      new RegExp(`^HAR entry 3 \\(started ${T}, request id r-7\\): the body is not JSON \\(10 bytes: "<html>oops"\\)`),
    );
    expect(first!.message).toContain(`; documented: ${first!.source}`);
    expect(first!.source).toMatch(/\S/);
    expect(first!.requestIds).toEqual(['r-7']);
    // no gateway id: the exchange's name is the id a reader looks it up by
    expect(second!.requestIds).toEqual([`HAR entry 5 (started ${T})`]);
    expect(second!.message).not.toContain(secret);
    expect(JSON.stringify(create)).not.toMatch(/undefined/);
  });

  it('without a record, the exchange is named by its arrival number and start', () => {
    const findings = new ResponseFindings(spec, compileValidators(spec), () => T);
    findings.observe('create', 200, { seq: 2, startedAt: 1, bytes: bytes('{}') });
    const create = findings.results().find((r) => r.id === 'shape.create');
    expect(create!.findings![0]!.message).toMatch(new RegExp(`^exchange 2 \\(started ${T}\\): `));
  });
});

describe("the proxy's own answers: the provider's documented error envelope", () => {
  const envelope = (status: number) => Object.keys((spec.x.errors[String(status)]!.body as { error: object }).error);
  const answered = (status: number) =>
    JSON.parse(
      Buffer.from(proxyError(spec, { operation: 'create' }, status, 'proxy_error', 'why', 'step').body).toString(),
    ) as { error: Record<string, unknown> };

  it("413 (undocumented) in the invalid request's envelope, 502 in 500's, with the proxy's code and message", () => {
    const tooLarge = answered(413);
    expect(Object.keys(tooLarge.error).sort()).toEqual(envelope(invalidRequestStatus(spec)).sort());
    expect(tooLarge.error).toMatchObject({ code: 'proxy_error', message: 'kling-conformance proxy: why' });
    const failed = answered(502);
    expect(Object.keys(failed.error).sort()).toEqual(envelope(500).sort());
    expect(failed.error.code).toBe('proxy_error');
  });
});
