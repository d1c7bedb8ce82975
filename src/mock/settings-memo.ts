import { getAt } from '../core/json-pointer.ts';
import type { ClaimChoice, ProviderSpec } from '../spec/model.ts';
import { estimatePrice } from '../spec/price.ts';
import { resolveSettings, type ResolvedSettings } from '../spec/resolve-settings.ts';

/** What the mock stores with a task: its settings (sent or defaulted) and their documented price. */
export interface PricedSettings {
  settings: ResolvedSettings;
  price: number | undefined;
}

/** Distinct setting combinations remembered; past it the memo starts again (clients send few combinations). */
const MAX_COMBINATIONS = 1024;

/**
 * Settings and price per combination of the setting values a request sent: the same few combinations come back
 * on every create, and resolving them (defaults, claims, frame size, the rate table) was a tenth of a create.
 * The result is frozen: tasks share it.
 */
export class SettingsMemo {
  private readonly known = new Map<string, PricedSettings>();
  private readonly fields: string[];

  constructor(
    private readonly spec: ProviderSpec,
    private readonly choice: ClaimChoice,
  ) {
    this.fields = Object.values(spec.x.settings).map((s) => s.field);
  }

  resolve(body: Record<string, unknown>): PricedSettings {
    let key = '';
    for (const field of this.fields) {
      const v = getAt(body, field);
      // an object or array value: not worth a key (a request the schema has already refused, or an odd one)
      if (v !== null && typeof v === 'object') return this.compute(body);
      // typed and length-prefixed: "5" and 5, or "a\u0000b", never share a key
      key += typeof v === 'string' ? `s${v.length}:${v}` : `${typeof v}:${String(v)};`;
    }
    let known = this.known.get(key);
    if (!known) {
      if (this.known.size >= MAX_COMBINATIONS) this.known.clear();
      known = this.compute(body);
      this.known.set(key, known);
    }
    return known;
  }

  private compute(body: Record<string, unknown>): PricedSettings {
    const settings = resolveSettings(this.spec, body, this.choice);
    Object.freeze(settings.values);
    Object.freeze(settings.defaulted);
    return Object.freeze({ settings: Object.freeze(settings), price: estimatePrice(this.spec, settings).amount });
  }
}
