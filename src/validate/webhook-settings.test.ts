import { describe, expect, it } from 'vitest';
import { loadSpecById } from '../spec/load-spec.ts';
import { assertWebhookPair, passDefaultUrl } from './webhook-settings.ts';

const URL_ONLY = { callbackDefault: 'https://hooks.example.com/kling' };
const SECRET_ONLY = { callbackSecret: 'kc-webhook-pair-secret' };

describe('the webhook flag pair (callbacks.requiresConfiguredWebhook.needs)', () => {
  it('half the pair is a usage error where a provider needs both; neither or both is an account as given', async () => {
    const toapis = await loadSpecById('toapis-kling-3.0-turbo');
    expect(() => assertWebhookPair([toapis], URL_ONLY)).toThrow(/--callback-default without --callback-secret/);
    expect(() => assertWebhookPair([toapis], SECRET_ONLY)).toThrow(/--callback-secret without --callback-default/);
    expect(() => assertWebhookPair([toapis], {})).not.toThrow();
    expect(() => assertWebhookPair([toapis], { ...URL_ONLY, ...SECRET_ONLY })).not.toThrow();
    expect(passDefaultUrl(toapis)).toBe('pass --callback-default <url> and --callback-secret <secret>');
  });

  it('a provider that documents no such rule takes either flag alone (the rule is data)', async () => {
    const evolink = await loadSpecById('evolink-kling-v3-t2v');
    expect(evolink.x.callbacks?.requiresConfiguredWebhook).toBeUndefined();
    expect(() => assertWebhookPair([evolink], URL_ONLY)).not.toThrow();
    expect(() => assertWebhookPair([evolink], SECRET_ONLY)).not.toThrow();
    expect(passDefaultUrl(evolink)).toBe('pass --callback-default <url>');
  });
});
