/** RFC 6901 JSON pointers: the one way this project names a place in a document or a request body. */

/**
 * The parts of a pointer. The pointers a run reads are the specs' own (a few dozen), read for every request the mock
 * answers: parsed once and kept (frozen: callers share them), up to a bound so arbitrary input cannot grow it.
 */
export function parsePointer(pointer: string): readonly string[] {
  const known = parsed.get(pointer);
  if (known) return known;
  if (pointer === '' || pointer === '/') return pointer === '' ? [] : [''];
  if (!pointer.startsWith('/')) throw new Error(`JSON pointer must start with "/": ${pointer}`);
  const parts = Object.freeze(
    pointer
      .slice(1)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~')),
  );
  if (parsed.size < MAX_PARSED) parsed.set(pointer, parts);
  return parts;
}
const MAX_PARSED = 4096;
const parsed = new Map<string, readonly string[]>();

export function formatPointer(parts: readonly (string | number)[]): string {
  return parts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

export function getAt(doc: unknown, pointer: string): unknown {
  let node: unknown = doc;
  for (const part of parsePointer(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

export function hasAt(doc: unknown, pointer: string): boolean {
  let node: unknown = doc;
  for (const part of parsePointer(pointer)) {
    if (node === null || typeof node !== 'object' || !(part in (node as object))) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return true;
}

/** Sets a value, creating plain objects (or arrays, for numeric parts) on the way. */
export function setAt(doc: Record<string, unknown>, pointer: string, value: unknown): void {
  const parts = parsePointer(pointer);
  if (parts.length === 0) throw new Error('cannot set the document root');
  let node: Record<string, unknown> = doc;
  parts.slice(0, -1).forEach((part, i) => {
    if (node[part] === null || typeof node[part] !== 'object') {
      node[part] = /^\d+$/.test(parts[i + 1]!) ? [] : {};
    }
    node = node[part] as Record<string, unknown>;
  });
  node[parts[parts.length - 1]!] = value;
}

export function deleteAt(doc: unknown, pointer: string): void {
  const parts = parsePointer(pointer);
  const parent = getAt(doc, formatPointer(parts.slice(0, -1)));
  if (parent && typeof parent === 'object') {
    const last = parts[parts.length - 1]!;
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete (parent as Record<string, unknown>)[last];
  }
}

/** Two body pointers concern the same field: equal, or one inside the other (/settings and /settings/duration). */
export const pointersOverlap = (a: string, b: string): boolean =>
  a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
