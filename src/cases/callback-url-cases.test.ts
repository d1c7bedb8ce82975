import { describe, expect, it } from 'vitest';
import { loadSpecById } from '../spec/load-spec.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { callbackUrlRuleProblems } from '../validate/callback-url.ts';
import { callbackUrlCases, unconfiguredWebhookCase } from './callback-url-cases.ts';

const toapis = await loadSpecById('toapis-kling-3.0-turbo');
const evolink = await loadSpecById('evolink-kling-v3-t2v');
const DEFAULT = 'https://hooks.example.com/kling?order=7';

/** The spec with its callbacks section edited (the rules are data). */
const withCallbacks = (spec: ProviderSpec, edit: (cb: NonNullable<ProviderSpec['x']['callbacks']>) => void) => {
  const copy = structuredClone(spec);
  edit(copy.x.callbacks!);
  return copy;
};

describe('callbackUrlCases: one case per documented callback URL rule, read from callbacks.urlRules', () => {
  it('no default URL: userinfo, fragment and port cases, each breaking its own rule only; origin unjudged', () => {
    const { cases, unjudged } = callbackUrlCases(toapis);
    expect(cases.map((c) => c.rule)).toEqual(['no-userinfo', 'no-fragment', 'legal-port']);
    for (const c of cases) {
      expect(
        callbackUrlRuleProblems(toapis, c.url).map((p) => p.rule),
        c.url,
      ).toEqual([c.rule]);
      expect(c.status).toBe(400);
      expect(c.source.part).toMatch(/\w/);
    }
    expect(cases.find((c) => c.rule === 'legal-port')!.inferred).toMatch(/our reading/);
    expect(cases.filter((c) => c.inferred).map((c) => c.rule)).toEqual(['legal-port']);
    expect(unjudged).toEqual([{ rule: 'same-origin', why: expect.stringContaining('default callback URL') }]);
  });

  it('with the default URL: the cases keep its origin; the other-origin case breaks only the origin rule', () => {
    const { cases, unjudged } = callbackUrlCases(toapis, { callbackDefault: DEFAULT });
    expect(unjudged).toEqual([]);
    const context = { callbackDefault: DEFAULT };
    const broken = (url: string) => callbackUrlRuleProblems(toapis, url, context).map((p) => p.rule);
    const byRule = Object.fromEntries(cases.map((c) => [c.rule, c.url]));
    expect(broken(byRule['no-userinfo']!)).toEqual(['no-userinfo']);
    expect(broken(byRule['no-fragment']!)).toEqual(['no-fragment']);
    expect(broken(byRule['same-origin']!)).toEqual(['same-origin']);
    // a refused port changes the origin too: no port keeps the default URL's
    expect(broken(byRule['legal-port']!)).toEqual(['legal-port', 'same-origin']);
    // the default URL's path and query are never sent (they may carry the account's own token)
    for (const url of Object.values(byRule)) expect(url).not.toContain('order=7');
  });

  it('the rules are data: a provider without urlRules gets no case; one rule taken out, its case goes', () => {
    expect(callbackUrlCases(evolink)).toEqual({ cases: [], unjudged: [] });
    const noFragment = withCallbacks(toapis, (cb) => {
      cb.urlRules = cb.urlRules!.filter((r) => r.rule !== 'no-fragment');
    });
    expect(callbackUrlCases(noFragment).cases.map((c) => c.rule)).toEqual(['no-userinfo', 'legal-port']);
  });
});

describe('unconfiguredWebhookCase: a plain callback URL from an account without webhook settings', () => {
  it('where documented (ToAPIs), refused with the documented status and code, unless the default URL is given', () => {
    const c = unconfiguredWebhookCase(toapis)!;
    expect(c).toMatchObject({ rule: 'webhook-not-configured', status: 400, code: 'webhook_not_configured' });
    // the URL itself breaks no rule: only the account's missing settings refuse it
    expect(callbackUrlRuleProblems(toapis, c.url)).toEqual([]);
    expect(c.source.part).toContain('webhook_not_configured');
    expect(unconfiguredWebhookCase(toapis, { callbackDefault: DEFAULT })).toBeUndefined();
  });

  it('a provider that documents no such condition has no case', () => {
    expect(unconfiguredWebhookCase(evolink)).toBeUndefined();
    const without = withCallbacks(toapis, (cb) => {
      delete cb.requiresConfiguredWebhook;
    });
    expect(unconfiguredWebhookCase(without)).toBeUndefined();
  });
});
