import type { MockRequest } from './mock-route.ts';

/** Request bodies as a gateway would see them: wrong content type, bad UTF-8 and bad JSON are 400s, never crashes. */
export type BodyResult =
  | { ok: true; body: Record<string, unknown> /** the JSON text's length */; chars: number }
  | { ok: false; message: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Deeper JSON is refused before parsing: no documented request nests more than a few levels. */
export const MAX_DEPTH = 64;

/** The deepest bracket nesting of a JSON text, outside strings (a linear scan: no recursion to overflow). */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return max;
}

export async function readJsonBody(request: MockRequest): Promise<BodyResult> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type))
    return {
      ok: false,
      message: `Content-Type must be application/json (got ${type ? JSON.stringify(type) : 'none'})`,
    };
  return parseJsonBody(request.bodyBytes ?? (await request.arrayBuffer()));
}

/**
 * A request body's bytes as a JSON object, or why not (bad UTF-8, nested too deep, not JSON, not an object), in the
 * words the mock answers them with (the proxy's local 400 says the same).
 */
export function parseJsonBody(bytes: Uint8Array | ArrayBuffer): BodyResult {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, message: 'request body is not valid UTF-8' };
  }
  // valid JSON nested deeper than MAX_DEPTH has more than 2 × MAX_DEPTH brackets; anything shorter either parses
  // shallow or does not parse at all
  const depth = text.length > 2 * MAX_DEPTH ? nestingDepth(text) : 0;
  if (depth > MAX_DEPTH)
    return { ok: false, message: `request body is nested ${depth} levels deep; at most ${MAX_DEPTH} are accepted` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `request body is not valid JSON: ${(err as Error).message}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return { ok: false, message: 'request body must be a JSON object' };
  return { ok: true, body: parsed as Record<string, unknown>, chars: text.length };
}
