import { PLACEHOLDER, TEMPLATE_FORMATS } from '../spec/template-variables.ts';

/**
 * Response templates live in the spec (x-conformance.responses / errors[*].body). A string that is exactly
 * one `{{path}}` becomes the value itself (numbers stay numbers); `{{path | format}}` renders it in a declared
 * format (fixed1: 5 -> "5.0"); `{{path}}` inside a longer string is interpolated; a key whose placeholder has
 * no value is left out. Unknown placeholders never get here: the spec loader refuses them.
 *
 * A template is compiled once (kept per template object) into a function of a value lookup: the mock answers every
 * create and poll from one, and walking the template, matching its strings and building every value a template
 * may name, on each answer, was a fifth of the mock's time per create.
 */
const WHOLE = new RegExp(`^${PLACEHOLDER.source}$`);
/** PLACEHOLDER without its `g` flag: a test that keeps no state between calls */
const ANY_PLACEHOLDER = new RegExp(PLACEHOLDER.source);

/** The value a placeholder names (`task.id`, `request.prompt`…), or undefined when it has none. */
export type TemplateValues = (path: string) => unknown;
/** A compiled template: the rendered value (undefined when it is one placeholder without a value). */
export type RenderTemplate = (values: TemplateValues) => unknown;

const compiled = new WeakMap<object, RenderTemplate>();

export function compileTemplate(template: unknown): RenderTemplate {
  if (typeof template === 'string') return compileString(template);
  if (template === null || typeof template !== 'object') return () => template;
  const known = compiled.get(template);
  if (known) return known;
  let render: RenderTemplate;
  if (Array.isArray(template)) {
    const items = template.map(compileTemplate);
    render = (values) => items.map((item) => item(values)).filter((v) => v !== undefined);
  } else {
    const entries = Object.entries(template).map(([key, value]) => [key, compileTemplate(value)] as const);
    render = (values) => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of entries) {
        const rendered = value(values);
        if (rendered !== undefined) out[key] = rendered;
      }
      return out;
    };
  }
  compiled.set(template, render);
  return render;
}

function compileString(template: string): RenderTemplate {
  const whole = WHOLE.exec(template);
  if (whole) {
    const [, path, format] = whole as unknown as [string, string, string | undefined];
    return (values) => formatted(values(path), format);
  }
  // literal text and placeholders, in order
  const parts: (string | { path: string; format: string | undefined })[] = [];
  let at = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    parts.push(template.slice(at, m.index), { path: m[1]!, format: m[2] });
    at = m.index + m[0].length;
  }
  if (parts.length === 0) return () => template;
  parts.push(template.slice(at));
  return (values) => {
    let out = '';
    for (const part of parts)
      out += typeof part === 'string' ? part : String(formatted(values(part.path), part.format) ?? '');
    return out;
  };
}

/**
 * A template compiled to JSON text: exactly `JSON.stringify` of what compileTemplate renders (keys in order, values
 * without a value left out), without building the object first — the mock answers every create and poll this way.
 */
export type RenderJson = (values: TemplateValues) => string | undefined;
const compiledJson = new WeakMap<object, RenderJson>();

export function compileJsonTemplate(template: unknown): RenderJson {
  const known = template !== null && typeof template === 'object' ? compiledJson.get(template) : undefined;
  if (known) return known;
  // a part with no placeholder is the same text on every answer
  if (!hasPlaceholder(template)) {
    const text = JSON.stringify(template);
    const constant = () => text;
    if (template !== null && typeof template === 'object') compiledJson.set(template, constant);
    return constant;
  }
  if (typeof template === 'string') {
    const render = compileString(template);
    return (values) => jsonText(render(values));
  }
  let render: RenderJson;
  if (Array.isArray(template)) {
    const items = template.map(compileJsonTemplate);
    render = (values) => {
      let out = '';
      for (const item of items) {
        const text = item(values);
        if (text !== undefined) out += out ? `,${text}` : text;
      }
      return `[${out}]`;
    };
  } else {
    const entries = Object.entries(template as object).map(
      ([key, value]) => [`${JSON.stringify(key)}:`, compileJsonTemplate(value)] as const,
    );
    render = (values) => {
      let out = '';
      for (const [key, value] of entries) {
        const text = value(values);
        if (text !== undefined) out += out ? `,${key}${text}` : `${key}${text}`;
      }
      return `{${out}}`;
    };
  }
  compiledJson.set(template as object, render);
  return render;
}

/** JSON text of a rendered value (a number without JSON.stringify's call; undefined stays undefined) */
const jsonText = (value: unknown): string | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? String(value) : JSON.stringify(value);

function hasPlaceholder(template: unknown): boolean {
  if (typeof template === 'string') return ANY_PLACEHOLDER.test(template);
  if (template === null || typeof template !== 'object') return false;
  return Object.values(template).some(hasPlaceholder);
}

/** Renders a template over a context object (`{ task: { id } }` answers `task.id`). */
export function renderTemplate(template: unknown, context: Record<string, unknown>): unknown {
  return compileTemplate(template)((path) => lookup(context, path));
}

function formatted(value: unknown, format: string | undefined): unknown {
  return value === undefined || format === undefined ? value : TEMPLATE_FORMATS[format]!(value);
}

/** The value at a dotted path of an object (`a.b.c`), undefined where the path leaves it. */
export function lookup(context: unknown, path: string): unknown {
  let node: unknown = context;
  for (const part of path.split('.'))
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return node;
}
