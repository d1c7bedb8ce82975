/**
 * The placeholders a response template may name (x-conformance.responses, errors[*].body, auth answers), and the
 * formats a value may be rendered in. A template naming anything else is refused when the spec loads: an unknown
 * placeholder would otherwise render as nothing and the mock would drift from the document without a word.
 */
export const TEMPLATE_VARIABLES: Record<string, string> = {
  baseUrl: "the mock's origin, for absolute URLs in bodies (fal's status_url)",
  'task.id': 'the task id (responses.taskIdPrefix + a random part)',
  'task.status': "the provider's status word for the task's phase",
  'task.progress': '0 initial, 50 running, 100 ended',
  'task.queuePosition': '0 while initial, absent after',
  'task.createdAt': 'creation time, Unix seconds',
  'task.createdAtMs': 'creation time, Unix milliseconds',
  'task.updatedAtMs': 'last change, Unix milliseconds',
  'task.completedAt': 'end time, Unix seconds (absent before the end)',
  'task.expiresAt': 'when the result link expires, Unix seconds',
  'task.linkLifetime': "the result link's lifetime in seconds from completion (a body's `…_ttl` field)",
  'task.resultUrl': 'the result video link (served by the mock)',
  'task.duration': 'the resolved duration in seconds (a number; use a format for "5.0")',
  'task.externalId': 'the client-chosen id, when the request carried one',
  'task.price': 'the documented price of the task, in the pricing currency',
  'task.credits': 'the documented price in credits (the price over pricing.usdPerCredit where priced in USD)',
  'error.code': 'the documented error code for the answer',
  'error.message': 'a human-readable message',
  requestId: 'a fresh request id',
};

/** What a callback event body (callbacks.payload) may name besides the variables above. */
export const EVENT_VARIABLES: Record<string, string> = {
  'event.id': 'the event id (callbacks.signature.eventId; the id the delivery is signed with)',
  'event.type': "the event's name (generation.completed…)",
  'event.createdAt': 'when the event was made, Unix seconds',
};

/** `request.<field>` names any field of the create request as sent. */
export const REQUEST_PREFIX = 'request.';

export const TEMPLATE_FORMATS: Record<string, (value: unknown) => unknown> = {
  /** the value as a string: 5 -> "5" */
  string: (v) => String(v),
  /** a number with one decimal, as a string: 5 -> "5.0" (Kling's task_result duration) */
  fixed1: (v) => Number(v).toFixed(1),
  /** a whole number: "5" -> 5 */
  int: (v) => Math.trunc(Number(v)),
  /** an ISO 8601 time from Unix seconds */
  iso: (v) => new Date(Number(v) * 1000).toISOString(),
};

/** `{{ name }}` or `{{ name | format }}` */
export const PLACEHOLDER = /\{\{\s*([\w.]+)\s*(?:\|\s*(\w+)\s*)?\}\}/g;

/** What is wrong with one placeholder, or undefined when it names a known variable and format. */
export function placeholderProblem(
  name: string,
  format: string | undefined,
  variables: Record<string, string> = TEMPLATE_VARIABLES,
): string | undefined {
  if (!(name in variables) && !(name.startsWith(REQUEST_PREFIX) && name.length > REQUEST_PREFIX.length)) {
    return `unknown placeholder {{${name}}}: use one of ${Object.keys(variables).join(', ')} or request.<field>`;
  }
  if (format !== undefined && !(format in TEMPLATE_FORMATS))
    return (
      `unknown format "${format}" in {{${name} | ${format}}}: use one of ` +
      `${Object.keys(TEMPLATE_FORMATS).join(', ')}`
    );
  return undefined;
}

/**
 * Every problem in a template tree, with the pointer (relative to the template) of the string that has it; `variables`
 * are the names it may use (a callback event body: these and EVENT_VARIABLES).
 */
export function templateProblems(
  template: unknown,
  at = '',
  variables: Record<string, string> = TEMPLATE_VARIABLES,
): { pointer: string; message: string }[] {
  if (typeof template === 'string') {
    const out: { pointer: string; message: string }[] = [];
    for (const m of template.matchAll(PLACEHOLDER)) {
      const problem = placeholderProblem(m[1]!, m[2], variables);
      if (problem) out.push({ pointer: at, message: problem });
    }
    if (template.replace(PLACEHOLDER, '').includes('{{'))
      out.push({
        pointer: at,
        message: `a placeholder that is not {{name}} or {{name | format}} in "${template.slice(0, 60)}"`,
      });
    return out;
  }
  if (template && typeof template === 'object') {
    return Object.entries(template).flatMap(([k, v]) =>
      templateProblems(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, variables),
    );
  }
  return [];
}
