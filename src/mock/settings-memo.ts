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
  /** one level per setting field, keyed by the value sent (Map keys tell "5" from 5); the last holds the answer */
  private readonly root = new Map<unknown, unknown>();
  private size = 0;
  private readonly fields: string[];

  constructor(
    private readonly spec: ProviderSpec,
    private readonly choice: ClaimChoice,
  ) {
    this.fields = Object.values(spec.x.settings).map((s) => s.field);
  }

  resolve(body: Record<string, unknown>): PricedSettings {
    let level = this.root;
    const last = this.fields.length - 1;
    for (let i = 0; i <= last; i++) {
      const v = getAt(body, this.fields[i]!);
      // an object or array value: not worth a key (a request the schema has already refused, or an odd one)
      if (v !== null && typeof v === 'object') return this.compute(body);
      const next = level.get(v);
      if (i === last) {
        if (next) return next as PricedSettings;
        if (this.size >= MAX_COMBINATIONS) {
          this.root.clear();
          this.size = 0;
          return this.resolve(body);
        }
        const known = this.compute(body);
        level.set(v, known);
        this.size += 1;
        return known;
      }
      if (next) level = next as Map<unknown, unknown>;
      else {
        const created = new Map<unknown, unknown>();
        level.set(v, created);
        level = created;
      }
    }
    // a spec without settings (none ships one): resolved afresh each time
    return this.compute(body);
  }

  private compute(body: Record<string, unknown>): PricedSettings {
    const settings = resolveSettings(this.spec, body, this.choice);
    Object.freeze(settings.values);
    Object.freeze(settings.defaulted);
    return Object.freeze({ settings: Object.freeze(settings), price: estimatePrice(this.spec, settings).amount });
  }
}
