import { encodedForms } from '../../src/core/redact.ts';

/**
 * Prompts that echo a key in every encoding redaction knows, spread over as many prompts as it takes to keep each
 * within `max` characters (a documented prompt limit: a longer one would be refused before it reaches anything).
 */
export function echoPrompts(key: string, max = 2400): string[] {
  const prompts: string[] = [];
  let prompt = 'a cat';
  for (const form of encodedForms(key)) {
    if (prompt.length + 1 + form.length > max) {
      prompts.push(prompt);
      prompt = 'a cat';
    }
    prompt += ` ${form}`;
  }
  return [...prompts, prompt];
}
