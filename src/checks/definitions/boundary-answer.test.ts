// A boundary case refused with the documented status passes only with the documented error body: a bare 400 from
// whatever answers at the base URL is not the gateway refusing the case.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSpecById } from '../../spec/load-spec.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import { caseFailure, type CaseOutcome } from './boundary.ts';

let toapis: ProviderSpec;
beforeAll(async () => {
  toapis = await loadSpecById('toapis-kling-3.0-turbo');
});
const refused = (answer: CaseOutcome['answer']): CaseOutcome => ({
  case: { id: 'c', rule: 'type.null', field: '/prompt', note: 'null', expect: { outcome: 'reject', status: 400 } },
  status: 400,
  curl: '',
  answer,
});

describe('boundary: a refused case', () => {
  it('passes with the documented error body and code; a bare 400 or another code fails', () => {
    const documented = { error: { code: 'invalid_request', message: 'm', type: 'invalid_request_error' } };
    expect(caseFailure(refused({ body: documented }), toapis)).toBeUndefined();
    const html = caseFailure(refused({ text: 'Bad Request', headers: { 'content-type': 'text/html' } }), toapis);
    expect(html).toContain('the 400 came as text/html "Bad Request"');
    const other = caseFailure(refused({ body: { error: { code: 'nope', message: 'm' } } }), toapis);
    expect(other).toContain('error code "nope"');
  });
});
