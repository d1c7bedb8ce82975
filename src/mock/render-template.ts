/**
 * Response templates live in the spec (x-conformance.responses / errors[*].body). A string that is exactly
 * one `{{path}}` becomes the value itself (numbers stay numbers); `{{path}}` inside a longer string is
 * interpolated; a key whose placeholder has no value is left out.
 */
const WHOLE = /^\{\{\s*([\w.]+)\s*\}\}$/;
const PART = /\{\{\s*([\w.]+)\s*\}\}/g;

export function renderTemplate(template: unknown, context: Record<string, unknown>): unknown {
  if (typeof template === 'string') {
    const whole = WHOLE.exec(template);
    if (whole) return lookup(context, whole[1]!);
    return template.replace(PART, (_, path: string) => String(lookup(context, path) ?? ''));
  }
  if (Array.isArray(template)) return template.map((item) => renderTemplate(item, context)).filter((v) => v !== undefined);
  if (template && typeof template === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(template)) {
      const rendered = renderTemplate(value, context);
      if (rendered !== undefined) out[key] = rendered;
    }
    return out;
  }
  return template;
}

function lookup(context: Record<string, unknown>, path: string): unknown {
  let node: unknown = context;
  for (const part of path.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return node;
}
