import type { Money } from '../core/spend-ledger.ts';
import type { ProviderNight, SpendPlan } from './plan-spend.ts';
import { spendLimits } from './spend-limits.ts';
import { shardFamilies, shardSuiteFiles } from './suite-families.ts';

/** A provider's night as one shard of the run holds it (`run --dry-run --shard i/n`). */
export interface NightShare {
  /** "1/2" */
  shard: string;
  /** the name every shard of the run shares (--run-id) */
  runId?: string;
  /** the suite files this shard runs */
  suiteFiles: string[];
  /** what this shard's ledger holds it to for this provider tonight: its part of the night's money */
  part?: Money;
  /** the night's money its part is of: the provider's budget plus what tonight draws from the bank */
  of?: Money;
  /** tonight's picks another shard sends (its files run their checks): item → that shard */
  elsewhere: Record<string, string>;
}

/**
 * Tonight's nights as shard `i/n` holds them: per provider its part of the night's money (what its ledger holds it to,
 * see spendLimits), the paid items its own suite files send (picked tonight, or due later), the risky creates of its
 * files, and the picks another shard sends. Every shard reads the same plan, so the parts add up to the night.
 */
export function shardNights(plan: SpendPlan, total: Money | undefined, shard: string, runId?: string): ProviderNight[] {
  const whole = spendLimits(plan, total).limits.perProvider ?? {};
  const part = spendLimits(plan, total, shard).limits.perProvider ?? {};
  const n = Number(shard.split('/')[1]);
  const shards = Array.from({ length: n }, (_, k) => `${k + 1}/${n}`);
  const mine = shardFamilies(shard);
  return plan.nights.map((night) => {
    const sends = plan.requests.filter((r) => r.provider === night.provider);
    // the family that sends an item: its create's, else its check id's ("boundary.maximum")
    const familyOf = (id: string) => sends.find((r) => r.purpose === id)?.family ?? id.split(/[./]/)[0]!;
    const home = (id: string) => shards.find((s) => shardFamilies(s).has(familyOf(id)));
    const elsewhere = Object.fromEntries(
      night.items.flatMap((it) => {
        const h = home(it.id);
        return it.state === 'picked' && h && h !== shard ? [[it.id, h]] : [];
      }),
    );
    const share: NightShare = {
      shard,
      ...(runId ? { runId } : {}),
      suiteFiles: shardSuiteFiles(shard),
      ...(part[night.provider] ? { part: part[night.provider], of: whole[night.provider] } : {}),
      elsewhere,
    };
    return {
      ...night,
      // an item no shard's files claim is shown to every shard
      items: night.items.filter((it) => (home(it.id) ?? shard) === shard),
      riskyPlanned: sends.filter((r) => r.purpose === 'risky' && mine.has(r.family) && !r.notSent).length,
      share,
    };
  });
}
