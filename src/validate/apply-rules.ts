import { getAt } from '../core/json-pointer.ts';
import type { Rule } from '../spec/request-model.ts';
import type { Diagnostic } from './describe-errors.ts';

/** The spec's rules that JSON Schema cannot state (sums across items). Schema-kind rules are checked by ajv. */
export function applyRules(rules: readonly Rule[], body: unknown): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const rule of rules) {
    if (rule.kind !== 'sum-equals') continue;
    if (rule.when && getAt(body, rule.when.pointer) !== rule.when.equals) continue;
    const items = getAt(body, rule.items);
    const total = Number(getAt(body, rule.total) ?? NaN);
    if (!Array.isArray(items) || items.length === 0 || Number.isNaN(total)) continue;
    const sum = items.reduce((acc: number, item) => acc + Number(getAt(item, rule.itemField)), 0);
    if (sum !== total) {
      out.push({
        pointer: rule.items,
        keyword: 'sum-equals',
        rule: rule.id,
        message:
          `${rule.message ?? 'item values must add up to the total'} (items add up to ` + `${sum}, total is ${total})`,
      });
    }
  }
  return out;
}
