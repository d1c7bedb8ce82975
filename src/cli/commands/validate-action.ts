import type { Command } from 'commander';
import { HarnessError } from '../../core/errors.ts';
import { loadSpecById } from '../../spec/load-spec.ts';
import { withClaims } from '../../spec/build-model.ts';
import { compileValidators } from '../../validate/compile-validators.ts';
import { unjudgedUrlRules, webhookNotConfigured } from '../../validate/callback-url.ts';
import { assertWebhookPair, passDefaultUrl, WEBHOOK_FLAG } from '../../validate/webhook-settings.ts';
import { readWebhookSettings } from '../../core/webhook-settings.ts';
import type { Diagnostic } from '../../validate/describe-errors.ts';
import { readJsonInput } from '../read-input.ts';
export async function validateBody(
  program: Command,
  stdin: string | undefined,
  options: {
    provider: string;
    operation: string;
    body?: string;
    file?: string;
    claims: string;
    json?: boolean;
    strict?: boolean;
    callbackDefault?: string;
    callbackSecret?: string;
    callbackPreviousSecret?: string;
  },
): Promise<number> {
  if (options.operation !== 'create') {
    throw new HarnessError('USAGE', `operation "${options.operation}" has no request body to validate`, {
      fix: 'use --operation create',
    });
  }
  if (options.claims !== 'mock' && options.claims !== 'other')
    throw new HarnessError('USAGE', `--claims must be mock or other (got ${options.claims})`, {
      fix: 'use --claims mock or --claims other',
    });
  const context = readWebhookSettings(options);
  const body = readJsonInput({ body: options.body, file: options.file, stdin: stdin === '-' });
  let spec = await loadSpecById(options.provider, program.opts().specs);
  assertWebhookPair([spec], context);
  if (options.claims === 'other') spec = withClaims(spec, 'other');
  const all = compileValidators(spec).request(body, context).errors;
  // a rule that is our reading warns, unless --strict
  const errors = options.strict ? all : all.filter((e) => !e.inferred);
  const warnings = options.strict ? [] : all.filter((e) => e.inferred);
  const notJudged = unjudgedUrlRules(spec, body, context).map((r) => ({
    rule: `callback.${r.rule}`,
    why: `needs ${r.origin ?? "the account's default callback URL"}: ${passDefaultUrl(spec)}`,
  }));
  // a precondition on the account, not the body: what a callback URL gets from an account without webhook settings
  const unconfigured = webhookNotConfigured(spec, body, context);
  if (unconfigured)
    notJudged.push({
      rule: 'callback.requiresConfiguredWebhook',
      why:
        `the account must have webhook settings (${unconfigured.missing.map((m) => WEBHOOK_FLAG[m]).join(', ')}), ` +
        `else ${unconfigured.status} ${unconfigured.code}`,
    });
  const valid = errors.length === 0;
  if (options.json)
    console.log(
      JSON.stringify({ provider: spec.id, operation: options.operation, valid, errors, warnings, notJudged }, null, 2),
    );
  else printResult(spec.id, options.operation, errors, warnings, notJudged);
  return valid ? 0 : 1;
}

function printResult(
  id: string,
  operation: string,
  errors: Diagnostic[],
  warnings: Diagnostic[],
  notJudged: { rule: string; why: string }[],
): void {
  const line = (e: Diagnostic) => `  ${e.pointer}: ${e.message}${e.rule ? ` [rule ${e.rule}]` : ''}`;
  if (errors.length === 0) console.log(`valid: the body satisfies the documented ${operation} request of ${id}`);
  else {
    console.log(
      `invalid: ${errors.length} problem${errors.length === 1 ? '' : 's'} with the ${operation} request of ${id}`,
    );
    for (const e of errors) console.log(line(e));
  }
  for (const w of warnings) console.log(`warning (our reading: ${w.inferred}; --strict fails it):\n${line(w)}`);
  for (const n of notJudged) console.log(`not judged: ${n.rule} (${n.why})`);
}
