import type { JsonSchema, ProviderSpec } from '../../spec/model.ts';

// Which top-level keys of a create body the documents name, and which ones carry a first frame.

/** The top-level keys a create schema names: its own properties and those of its top-level combinators' branches. */
export function documentedKeys(schema: JsonSchema | undefined): Set<string> {
  const keys = new Set<string>();
  const visit = (s: unknown) => {
    if (!s || typeof s !== 'object') return;
    const node = s as JsonSchema;
    for (const k of Object.keys((node.properties as object | undefined) ?? {})) keys.add(k);
    for (const list of ['allOf', 'anyOf', 'oneOf'] as const)
      if (Array.isArray(node[list])) (node[list] as unknown[]).forEach(visit);
    visit(node.then);
    visit(node.else);
  };
  visit(schema);
  return keys;
}

/**
 * Top-level body keys that carry a first frame (or a start image) in the ecosystem's video APIs: the shipped specs'
 * own `x-conformance.firstFrame` fields (`image`: API in One, Kling's image-to-video; `image_url`: EvoLink's other
 * models; `start_image_url`: fal's image-to-video; `reference_images`: ToAPIs; `first_frame`: seed 003's content type)
 * and their common variants. A client sending one that its provider's text-to-video schema does not document is taken
 * to send a first frame: our reading (an inferred finding), since no document names the key.
 */
export const FIRST_FRAME_SPELLINGS: readonly string[] = [
  'first_frame',
  'first_frame_image',
  'first_frame_url',
  'image',
  'image_url',
  'image_urls',
  'input_image',
  'start_image',
  'start_image_url',
  'reference_image',
  'reference_images',
];

/** The fields `traffic.first_frame` reads for a provider: the spec's first-frame pointers, and every generic spelling
 * its create schema does not document (a documented field of that name means what the schema says, not a frame). */
export function firstFrameFields(spec: ProviderSpec): { declared: string[]; generic: string[] } {
  const declared = Object.keys(spec.x.firstFrame.set);
  const documented = documentedKeys(spec.create.requestSchema);
  const generic = FIRST_FRAME_SPELLINGS.filter((k) => !documented.has(k) && !declared.includes(`/${k}`));
  return { declared, generic };
}
