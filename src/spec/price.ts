import { mockClaim } from './claims.ts';
import type { ProviderSpec } from './model.ts';
import type { ResolvedSettings } from './resolve-settings.ts';
import { fieldSchema } from './field-schema.ts';

/** The documented price of one task with these settings, or why there is none. */
export interface PriceEstimate {
  amount?: number;
  currency?: string;
  usd?: number;
  explanation: string;
}

export function estimatePrice(spec: ProviderSpec, settings: ResolvedSettings): PriceEstimate {
  const p = spec.x.pricing;
  const seconds = Math.max(settings.durationSeconds, p.minimumSeconds ?? 0);
  const matches = (when: Record<string, unknown>) =>
    Object.entries(when).every(([k, v]) => settingValue(spec, settings, k) === v);
  if ((p.kind === 'per_second' || p.kind === 'credits_per_second') && p.rates) {
    const rate = p.rates.find((r) => matches(r.when));
    if (!rate) return { explanation: `no documented rate for ${JSON.stringify(settings.values)}` };
    const amount = round(rate.perSecond * seconds);
    const usd = p.currency === 'USD' ? amount : p.usdPerCredit ? round(amount * p.usdPerCredit) : undefined;
    return { amount, currency: p.currency, usd, explanation: `${rate.perSecond} ${p.currency}/s × ${seconds} s` };
  }
  if (p.kind === 'relative') {
    const factor = (p.multipliers ?? [])
      .filter((m) => matches(m.when))
      .reduce((f, m) => f * mockClaim(m.claims).value, 1);
    return {
      explanation:
        `price not published; documented as linear in ` +
        `duration${factor !== 1 ? `, × ${factor} for these settings` : ''}`,
    };
  }
  return { explanation: 'price not published (account price at submission)' };
}

/** A pricing `when` key is a setting name (resolution) or a request field name (quality, mode, sound). */
function settingValue(spec: ProviderSpec, settings: ResolvedSettings, key: string): unknown {
  if (key in settings.values) return settings.values[key];
  const byField = Object.entries(spec.x.settings).find(([, s]) => s.field === `/${key}`);
  return byField ? settings.values[byField[0]] : undefined;
}

/** The dearest documented task: the bound for what a wrongly accepted invalid body can cost. */
export function maxTaskPrice(spec: ProviderSpec): PriceEstimate {
  const p = spec.x.pricing;
  if (!p.rates?.length || !p.currency) return { explanation: 'price not published' };
  const d = fieldSchema(spec, spec.x.settings.duration.field);
  const seconds = Math.max(
    15,
    Number(d?.maximum ?? 0) || 0,
    ...((d?.enum as unknown[] | undefined) ?? []).map(Number).filter(Number.isFinite),
  );
  const rate = Math.max(...p.rates.map((r) => r.perSecond));
  return {
    amount: round(rate * seconds),
    currency: p.currency,
    explanation: `at most ${rate} ${p.currency}/s × ${seconds} s (the dearest documented task)`,
  };
}

const round = (n: number) => Math.round(n * 10000) / 10000;
