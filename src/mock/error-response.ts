import { randomHex } from './random-hex.ts';
import { pickClaim } from '../spec/claims.ts';
import type { ClaimChoice, ProviderSpec } from '../spec/model.ts';
import { renderTemplate } from './render-template.ts';
import { answerJson, type MockResponse } from './mock-route.ts';

export const newRequestId = () => `req_${randomHex(16)}`;

/**
 * The provider's documented error body for an HTTP status (`like`'s body when given: a status the documents give the
 * same meaning; 500's body for an undocumented status).
 */
export function errorResponse(
  spec: ProviderSpec,
  status: number,
  message: string,
  options: { claims: ClaimChoice; headers?: Record<string, string>; code?: string | number; like?: number },
): MockResponse {
  const decl = spec.x.errors[String(options.like ?? status)] ?? spec.x.errors[String(status)] ?? spec.x.errors['500']!;
  const code = options.code ?? (decl.code?.length ? pickClaim(decl.code, options.claims).value : undefined);
  const body = renderTemplate(decl.body, { error: { code, message }, requestId: newRequestId() });
  return answerJson(body as Record<string, unknown>, { status, headers: options.headers });
}
