import { formatMarkdownTable } from '../core/table.ts';
import { checkCatalogue } from '../checks/registry.ts';
import { loadAllSpecs } from '../spec/load-spec.ts';
import { selfDrift } from '../drift/self-drift.ts';
import { compareProviders } from '../drift/compare.ts';
import { renderComparison, renderSelfDrift } from '../drift/render-drift.ts';

/** Every generated doc, path -> content. Deterministic: the same specs and code give the same bytes. */
export async function renderDocs(): Promise<Record<string, string>> {
  const specs = await loadAllSpecs();
  return {
    'docs/checks.md': renderChecks(),
    'docs/drift.md': renderSelfDrift(specs.map((s) => s.id), specs.flatMap(selfDrift)),
    'docs/providers.md': renderComparison(compareProviders(specs)),
  };
}

function renderChecks(): string {
  const rows = checkCatalogue().map((c) => [`\`${c.id}\``, c.family, c.title, c.cost === 'paid' ? 'paid (live: needs --allow-paid)' : 'free', c.target === 'mock' ? 'mock only' : 'mock and live']);
  return [
    '# Checks',
    '',
    '<!-- Generated from src/checks/registry.ts by `npm run gen:docs`. Do not edit. -->',
    '',
    'Each check is a small pure function over what was sent and what was observed, with a stable id. Which checks',
    "apply to a provider is read from its spec (a provider without typed `contents[]` has no `reject.first_frame`;",
    '`reject.enum.<field>` expands to one check per enum field; `shape.poll.<status>` to one per documented status).',
    'A check that does not apply, needs a mock, or needs a paid budget is skipped with its reason in the report.',
    '',
    formatMarkdownTable(['id', 'family', 'what it asserts', 'cost', 'runs against'], rows),
    '',
  ].join('\n');
}

