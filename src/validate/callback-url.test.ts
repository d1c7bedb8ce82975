import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import type { ProviderSpec } from '../spec/model.ts';
import type { CallbackUrlRule } from '../spec/callback-model.ts';
import {
  bareHost,
  callbackUrlRuleProblems,
  classifyAddress,
  classifyHost,
  internalName,
  loopbackName,
  unjudgedUrlRules,
  webhookNotConfigured,
} from './callback-url.ts';

/** classifyHost without the cheap character test in front of ipaddr.js: what it must keep answering. */
const reference = (host: string) => {
  const h = bareHost(host);
  if (ipaddr.isValid(h)) return classifyAddress(h);
  if (loopbackName(h)) return 'loopback';
  if (internalName(h)) return 'internal';
  return undefined;
};

describe('classifyHost', () => {
  const spellings = [
    '127.0.0.1',
    '[::1]',
    '0x7f.1',
    '0x7F.0.0.1',
    '2130706433',
    '017700000001',
    '0xa9fea9fe',
    '169.254.169.254.',
    'fe80::1%eth0',
    '[::ffff:7f00:1]',
    '64:ff9b::a9fe:a9fe',
    '2002:a9fe:a9fe::',
    '8.8.8.8',
    'localhost.',
    'api.localhost',
    'metadata.internal',
    'printer.local',
    'example.com',
    'cafe.de',
    'deadbeef',
    'face',
    '',
  ];

  it('judges every spelling of an address as ipaddr.js does, and names by reserved suffix or a single label', () => {
    for (const host of spellings) expect([host, classifyHost(host)]).toEqual([host, reference(host)]);
    expect(spellings.map(classifyHost)).toEqual([
      'loopback',
      'loopback',
      'loopback',
      'loopback',
      'loopback',
      'loopback',
      'link-local',
      'link-local',
      'link-local',
      'loopback',
      'link-local',
      'link-local',
      'public',
      'loopback',
      'loopback',
      'internal',
      'internal',
      undefined,
      undefined,
      // single-label names resolve only through /etc/hosts or a search domain
      'internal',
      'internal',
      'internal',
    ]);
  });

  it('agrees with ipaddr.js on random strings of address characters and letters', () => {
    const alphabet = '0123456789abcdefxX.:%gz';
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let i = 0; i < 3000; i++) {
      const host = Array.from({ length: 1 + (next() % 14) }, () => alphabet[next() % alphabet.length]).join('');
      expect([host, classifyHost(host)]).toEqual([host, reference(host)]);
    }
  });
});

describe('callbackUrlRuleProblems: the documented rules on a callback URL, read from the spec', () => {
  const source = { ref: 'doc', part: 'the rule' };
  const rules: CallbackUrlRule[] = [
    { rule: 'no-userinfo', source },
    { rule: 'no-fragment', source },
    { rule: 'legal-port', badPorts: [0, 25], inferred: 'which ports are illegal is our reading', source },
    { rule: 'same-origin', origin: 'the default URL', source },
  ];
  const withRules = (urlRules: CallbackUrlRule[]) =>
    ({
      x: { callbacks: { field: '/callback_url', httpsOnly: true, forbidInternal: true, events: [], source, urlRules } },
    }) as unknown as ProviderSpec;
  const context = { callbackDefault: 'https://hooks.example.com/default?x=1' };
  const broken = (url: string, urlRules = rules) => callbackUrlRuleProblems(withRules(urlRules), url, context);
  const names = (url: string, urlRules = rules) => broken(url, urlRules).map((p) => p.rule);

  it('each rule fails the URL that breaks it, and stops failing it once the rule is taken out of the spec', () => {
    const cases: [CallbackUrlRule['rule'], string][] = [
      ['no-userinfo', 'https://user:pw@hooks.example.com/cb'],
      ['no-userinfo', 'https://user@hooks.example.com/cb'],
      ['no-fragment', 'https://hooks.example.com/cb#done'],
      ['no-fragment', 'https://hooks.example.com/cb#'],
      ['legal-port', 'https://hooks.example.com:25/cb'],
      ['legal-port', 'https://hooks.example.com:0/cb'],
      ['same-origin', 'https://other.example.com/cb'],
      ['same-origin', 'https://hooks.example.com:8443/cb'],
    ];
    for (const [rule, url] of cases) {
      const without = rules.filter((r) => r.rule !== rule);
      expect([url, names(url)]).toEqual([url, expect.arrayContaining([rule])]);
      expect([url, names(url, without)]).toEqual([url, expect.not.arrayContaining([rule])]);
    }
    // a port other than the default URL's also leaves its origin: both rules name it
    expect(broken('https://hooks.example.com:25/cb').map((p) => p.rule)).toEqual(['legal-port', 'same-origin']);
    expect(broken('https://hooks.example.com:25/cb')[0]!.inferred).toBe('which ports are illegal is our reading');
  });

  it('a URL that keeps every rule passes: another path and query, the default port spelled out, any case', () => {
    for (const url of [
      'https://hooks.example.com/kling/done?order=7',
      'https://hooks.example.com:443/cb',
      'HTTPS://HOOKS.EXAMPLE.COM/cb',
    ])
      expect(broken(url), url).toEqual([]);
  });

  it('same-origin is not judged without the default URL, and says so', () => {
    expect(callbackUrlRuleProblems(withRules(rules), 'https://other.example.com/cb')).toEqual([]);
    const body = { callback_url: 'https://other.example.com/cb' };
    expect(unjudgedUrlRules(withRules(rules), body, {}).map((r) => r.rule)).toEqual(['same-origin']);
    expect(unjudgedUrlRules(withRules(rules), body, context)).toEqual([]);
    expect(unjudgedUrlRules(withRules(rules), {}, {})).toEqual([]);
  });
});

describe('webhookNotConfigured: a callback URL refused while the account lacks webhook settings (data)', () => {
  const source = { ref: 'doc', part: 'sending callback_url returns 400 webhook_not_configured' };
  const required = {
    needs: ['default-url', 'secret'] as ('default-url' | 'secret')[],
    status: 400,
    code: 'nope',
    source,
  };
  const spec = (requiresConfiguredWebhook?: typeof required) =>
    ({
      x: {
        callbacks: {
          field: '/callback_url',
          httpsOnly: true,
          forbidInternal: true,
          events: [],
          source,
          requiresConfiguredWebhook,
        },
      },
    }) as unknown as ProviderSpec;
  const body = { prompt: 'a cat', callback_url: 'https://hooks.example.com/cb' };
  const configured = { callbackDefault: 'https://hooks.example.com/', callbackSecret: 'kc-secret' };

  it('names what the account lacks, with the documented status and code', () => {
    expect(webhookNotConfigured(spec(required), body, {})).toEqual({
      status: 400,
      code: 'nope',
      missing: ['default-url', 'secret'],
    });
    expect(
      webhookNotConfigured(spec(required), body, { callbackDefault: configured.callbackDefault })?.missing,
    ).toEqual(['secret']);
    expect(webhookNotConfigured(spec(required), body, configured)).toBeUndefined();
  });

  it('only a body carrying the callback field; only where the condition is documented; only the needs it lists', () => {
    expect(webhookNotConfigured(spec(required), { prompt: 'a cat' }, {})).toBeUndefined();
    expect(webhookNotConfigured(spec(), body, {})).toBeUndefined();
    const urlOnly = { ...required, needs: ['default-url'] as ('default-url' | 'secret')[] };
    expect(webhookNotConfigured(spec(urlOnly), body, { callbackDefault: configured.callbackDefault })).toBeUndefined();
  });
});
