import { isDeepStrictEqual } from 'node:util';
import { formatPointer } from '../core/json-pointer.ts';

/** One part of a document that differs between two versions: where (JSON pointer), what, before and after. */
export interface ChangedPart {
  pointer: string;
  message: string;
  old?: unknown;
  new?: unknown;
}

/** Names a part by its key (and both versions' values) when it is to be compared whole; undefined: walk into it. */
type PartName = (key: string, x: unknown, y: unknown) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function changedPart(name: string, at: (string | number)[], x: unknown, y: unknown): ChangedPart {
  const how = x === undefined ? 'added' : y === undefined ? 'removed' : 'changed';
  return {
    pointer: formatPointer(at),
    message: `${name} ${how}`,
    ...(x !== undefined ? { old: x } : {}),
    ...(y !== undefined ? { new: y } : {}),
  };
}

/**
 * The parts that differ between two versions of a document, each with its pointer, before and after: the parts
 * `name` names, compared whole; with `everyValue`, every other value that is not an object too, and a part present in
 * one version only as one whole (without, such a part is walked for the parts `name` names). Bounded in depth.
 */
export function changedParts(a: unknown, b: unknown, name: PartName, everyValue = false): ChangedPart[] {
  const out: ChangedPart[] = [];
  const walk = (x: unknown, y: unknown, at: (string | number)[]) => {
    const left = isObject(x) ? x : {};
    const right = isObject(y) ? y : {};
    for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
      const [vx, vy] = [left[key], right[key]];
      if (isDeepStrictEqual(vx, vy)) continue;
      const named = name(key, vx, vy) ?? (everyValue && (vx === undefined || vy === undefined) ? 'part' : undefined);
      if (named) out.push(changedPart(named, [...at, key], vx, vy));
      else if (at.length < 40 && (isObject(vx) || isObject(vy))) walk(vx, vy, [...at, key]);
      else if (everyValue) out.push(changedPart('value', [...at, key], vx, vy));
    }
  };
  walk(a, b, []);
  return out;
}

/** Keys whose string value is documentation (a body field named `title` is an object: a schema, not a text). */
const TEXT_KEYS = new Set(['description', 'summary', 'title']);

/** A description, summary or title (a text), or a source (`x-source`, compared whole). */
export const docPart: PartName = (key, x, y) =>
  key === 'x-source'
    ? 'source'
    : TEXT_KEYS.has(key) && (typeof x === 'string' || typeof y === 'string')
      ? key
      : undefined;
