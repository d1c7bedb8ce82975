import { PLACEHOLDER, TEMPLATE_FORMATS } from '../spec/template-variables.ts';

/**
 * Response templates live in the spec (x-conformance.responses / errors[*].body). A string that is exactly
 * one `{{path}}` becomes the value itself (numbers stay numbers); `{{path | format}}` renders it in a declared
 * format (fixed1: 5 -> "5.0"); `{{path}}` inside a longer string is interpolated; a key whose placeholder has
 * no value is left out. Unknown placeholders never get here: the spec loader refuses them.
 */
const WHOLE = new RegExp(`^${PLACEHOLDER.source}$`);

export function renderTemplate(template: unknown, context: Record<string, unknown>): unknown {
  if (typeof template === 'string') {
    const whole = WHOLE.exec(template);
    if (whole) return formatted(lookup(context, whole[1]!), whole[2]);
    return template.replace(PLACEHOLDER, (_, path: string, format?: string) =>
      String(formatted(lookup(context, path), format) ?? ''),
    );
  }
  if (Array.isArray(template))
    return template.map((item) => renderTemplate(item, context)).filter((v) => v !== undefined);
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

function formatted(value: unknown, format: string | undefined): unknown {
  return value === undefined || format === undefined ? value : TEMPLATE_FORMATS[format]!(value);
}

function lookup(context: Record<string, unknown>, path: string): unknown {
  let node: unknown = context;
  for (const part of path.split('.'))
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return node;
}
