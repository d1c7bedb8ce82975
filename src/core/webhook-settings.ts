import { HarnessError } from './errors.ts';
import { registerSecret } from './redact.ts';

/** An http(s) URL with a host: the account's default callback URL (its origin is all a check reads). */
export function parseCallbackDefault(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {}
  if (!url || !/^https?:$/.test(url.protocol) || !url.hostname)
    throw new HarnessError('USAGE', `--callback-default ${value} is not an http(s) URL`, {
      fix: 'pass the default callback URL set on the account, e.g. --callback-default https://hooks.example.com/kling',
    });
  return value;
}

const MIN_SECRET_CHARS = 8;

/** The account's webhook secret: a credential, registered for redaction before anything can print it. */
export function parseCallbackSecret(value: string, flag = '--callback-secret'): string {
  // (a shorter one could not be told from ordinary text, so it could not be kept out of reports)
  if (value.trim().length < MIN_SECRET_CHARS)
    throw new HarnessError('USAGE', `${flag} is shorter than ${MIN_SECRET_CHARS} characters (not shown)`, {
      fix:
        "pass the account's webhook secret (or set KLING_CONFORMANCE_CALLBACK_SECRET), or leave both it and " +
        '--callback-default out for an account without webhooks',
    });
  registerSecret(value);
  return value;
}

/** The account's webhook secret before its last rotation: a credential too, and only beside a current one. */
export function parseCallbackPreviousSecret(value: string, current: string | undefined): string {
  const previous = parseCallbackSecret(value, '--callback-previous-secret');
  if (current === undefined || previous === current)
    throw new HarnessError(
      'USAGE',
      current === undefined
        ? '--callback-previous-secret without --callback-secret: a rotated-out secret needs the current one'
        : '--callback-previous-secret is the same as --callback-secret (not shown): a rotation changes the secret',
      { fix: 'pass the current secret as --callback-secret and the one it replaced as --callback-previous-secret' },
    );
  return previous;
}

type WebhookFlags = { callbackDefault?: string; callbackSecret?: string; callbackPreviousSecret?: string };

/**
 * --callback-default, --callback-secret and --callback-previous-secret as every command reads them (mock and
 * validate too: one meaning).
 */
export function readWebhookSettings(raw: WebhookFlags): WebhookFlags {
  const current = raw.callbackSecret === undefined ? undefined : parseCallbackSecret(raw.callbackSecret);
  return {
    ...(raw.callbackDefault === undefined ? {} : { callbackDefault: parseCallbackDefault(raw.callbackDefault) }),
    ...(current === undefined ? {} : { callbackSecret: current }),
    ...(raw.callbackPreviousSecret === undefined
      ? {}
      : { callbackPreviousSecret: parseCallbackPreviousSecret(raw.callbackPreviousSecret, current) }),
  };
}
