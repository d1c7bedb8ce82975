/** Request bodies as a gateway would see them: wrong content type, bad UTF-8 and bad JSON are 400s, never crashes. */
export type BodyResult = { ok: true; body: Record<string, unknown> } | { ok: false; message: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

export async function readJsonBody(request: Request): Promise<BodyResult> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) return { ok: false, message: `Content-Type must be application/json (got ${type ? JSON.stringify(type) : 'none'})` };
  let text: string;
  try {
    text = decoder.decode(await request.arrayBuffer());
  } catch {
    return { ok: false, message: 'request body is not valid UTF-8' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `request body is not valid JSON: ${(err as Error).message}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, message: 'request body must be a JSON object' };
  return { ok: true, body: parsed as Record<string, unknown> };
}
