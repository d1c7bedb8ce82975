import { HarnessError } from '../core/errors.ts';
import type { ProviderSpec } from '../spec/model.ts';
import type { WebhookSettings } from './callback-url.ts';

/** The flag that gives the account each webhook setting a provider may need (mock, run and validate take both). */
export const WEBHOOK_FLAG = { 'default-url': '--callback-default', secret: '--callback-secret' } as const;

/** What a user types for each flag in a fix (the secret as a placeholder: a fix never holds a value). */
const TYPED = { 'default-url': '--callback-default <url>', secret: '--callback-secret <secret>' } as const;

/**
 * Where a provider documents that an account's webhooks are configured only with every one of some settings
 * (`requiresConfiguredWebhook.needs`: a default URL and a secret), half of them given is a usage error, the same in
 * mock, run and validate: the account is neither configured (that needs both) nor plainly unconfigured (that is
 * neither given), and a half pair is most likely a flag forgotten. Neither given: an account without webhooks.
 * Throws that usage error (exit 2).
 */
export function assertWebhookPair(specs: ProviderSpec[], settings: WebhookSettings): void {
  const has = { 'default-url': Boolean(settings.callbackDefault), secret: Boolean(settings.callbackSecret) };
  for (const spec of specs) {
    const rule = spec.x.callbacks?.field ? spec.x.callbacks.requiresConfiguredWebhook : undefined;
    if (!rule) continue;
    const missing = rule.needs.filter((n) => !has[n]);
    if (missing.length === 0 || missing.length === rule.needs.length) continue;
    const given = rule.needs.filter((n) => has[n]).map((n) => WEBHOOK_FLAG[n]);
    throw new HarnessError(
      'USAGE',
      `${given.join(' and ')} without ${missing.map((n) => WEBHOOK_FLAG[n]).join(' and ')}: ${spec.id} counts the ` +
        `account's webhooks as configured only with ${rule.needs.map((n) => WEBHOOK_FLAG[n]).join(' and ')} ` +
        `(without them a callback URL gets ${rule.status} ${rule.code})`,
      {
        fix:
          `pass ${missing.map((n) => TYPED[n]).join(' and ')} as well (the secret also as ` +
          `KLING_CONFORMANCE_CALLBACK_SECRET), or neither flag for an account without webhooks`,
      },
    );
  }
}

/** How to give the account's default callback URL: with the secret, where the provider needs the pair. */
export function passDefaultUrl(spec: ProviderSpec): string {
  const needs = spec.x.callbacks?.requiresConfiguredWebhook?.needs ?? [];
  return `pass ${[...new Set(['default-url' as const, ...needs])].map((n) => TYPED[n]).join(' and ')}`;
}
