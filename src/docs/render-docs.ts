import { formatMarkdownTable } from '../core/table.ts';
import { checkCatalogue } from '../checks/registry.ts';
import { loadAllSpecs } from '../spec/load-spec.ts';
import { listFacts } from '../spec/list-facts.ts';
import { describeSource } from '../spec/claims.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { selfDrift } from '../drift/self-drift.ts';
import { crossDrift } from '../drift/cross-drift.ts';
import { compareProviders } from '../drift/compare.ts';
import { renderComparison, renderSelfDrift } from '../drift/render-drift.ts';
import { firstFrameFields } from '../traffic/checks/body-keys.ts';
import { TRAFFIC_CHECKS } from '../traffic/traffic-checks.ts';
import { readFileSync } from 'node:fs';

/** Every generated doc, path -> content. Deterministic: the same specs and code give the same bytes. */
export async function renderDocs(): Promise<Record<string, string>> {
  const specs = await loadAllSpecs();
  return {
    'docs/checks.md': `${renderChecks()}\n${renderTrafficChecks(specs)}`,
    'docs/drift.md': renderSelfDrift(
      specs.map((s) => s.id),
      [...specs.flatMap(selfDrift), ...crossDrift(specs)],
      'doc',
      driftForms(),
    ),
    'docs/providers.md': renderComparison(compareProviders(specs), 'doc'),
    'docs/facts.md': renderFacts(specs),
  };
}

/** The head of docs/drift.md: every drift report, and how `drift --between` compares two runs (its comment cut). */
const driftForms = () =>
  readFileSync(new URL('./drift-forms.md', import.meta.url), 'utf8').replace(/^<!--[^\n]*-->\n\n/, '');

/** docs/facts.md: every fact of every spec with its value, confidence and source, for review without YAML. */
function renderFacts(specs: ProviderSpec[]): string {
  const show = (v: unknown) => {
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    return `\`${text.length > 80 ? `${text.slice(0, 77)}…` : text}\``.replace(/\|/g, '\\|');
  };
  const lines = [
    '# Facts',
    '',
    '<!-- Generated from specs/ by `npm run gen`. Do not edit. -->',
    '',
    "Every fact each spec states, with how sure we are: **documented** (a seed or the provider's own page says it),",
    '**inferred** (our reading, with the reasoning in the source; checks built on ' +
      'it warn unless `--strict`), **observed**',
    '(seen on a live run, with date and request id). `npm test` fails when a fact has no source or this page is stale.',
  ];
  for (const spec of specs) {
    const facts = listFacts(spec);
    const inferred = facts.filter((f) => f.confidence === 'inferred').length;
    lines.push('', `## ${spec.id}`, '', `${facts.length} facts, ${inferred} inferred.`, '');
    lines.push(
      formatMarkdownTable(
        ['fact', 'value', 'confidence', 'source'],
        facts.map((f) => [
          `\`${f.fact}\``,
          show(f.value),
          f.confidence,
          f.source ? describeSource(spec.x, f.source).replace(/\|/g, '\\|') : '**none**',
        ]),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

const COST_TEXT = {
  free: 'free',
  paid: 'paid (live: needs --allow-paid)',
  risky: 'free when rejected (live: billable if wrongly accepted)',
};

function renderChecks(): string {
  const rows = checkCatalogue().map((c) => [
    `\`${c.id}\``,
    c.family,
    c.title,
    COST_TEXT[c.cost],
    c.target === 'mock' ? 'mock only' : 'mock and live',
  ]);
  return [
    '# Checks',
    '',
    '<!-- Generated from src/checks/registry.ts by `npm run gen`. Do not edit. -->',
    '',
    'Each check is a small pure function over what was sent and what was observed, with a stable id. Which checks',
    'apply to a provider is read from its spec (`reject.first_frame` follows `x-conformance.firstFrame`: how a first',
    'frame would be sent and whether the documents say it is rejected, accepted or say nothing; `reject.enum.<field>`',
    'expands to one check per enum field; `shape.poll.<status>` and ' +
      '`shape.error.<status>` to one per documented status).',
    'A check that does not apply, needs a mock, or needs a paid budget is skipped with its reason in the report.',
    '',
    'Statuses: **pass** (matches a documented claim — any of them where documents disagree, with a `claim-followed`',
    'finding), **fail** (contradicts every documented claim), **warn** (contradicts only a fact our spec marks',
    '`inferred`, or the documents themselves are at fault; `--strict` turns the former into fail), **info** (observed',
    'where no document says what should happen), **skip** (with its reason), ' +
      '**error** (evidence missing or unreadable:',
    'never a pass). Each verdict carries typed `findings` (kind, expected, observed, pointer, request ids, billable',
    'tasks), the data that drift and billing read.',
    '',
    'A documented error status is never judged alone (any server answers 404 to a path it does not serve): a check',
    'that expects a 404, 400, 401 or 422 passes only on the documented error body (JSON of the documented schema)',
    "with a documented error code, and a bare status or a router's own error body fails it, naming what was",
    'documented and what came (`src/checks/definitions/documented-error.ts`). A live target that does not serve the',
    'documented create route at all (a 404 or 405 the documents do not give for a create, to the request',
    '`auth.missing_key` sends) stops the run before any check: exit 2, `TARGET_NOT_FOUND`. That probe is in the',
    "plan (`target.create_route`, free: no key) and its answer is `auth.missing_key`'s evidence: it is sent once.",
    '',
    formatMarkdownTable(['id', 'family', 'what it asserts', 'cost', 'runs against'], rows),
    '',
  ].join('\n');
}

/** The traffic checks (verify-client, proxy): per provider, the fact each judges on and whether a document says it. */
function renderTrafficChecks(specs: ProviderSpec[]): string {
  const rows = TRAFFIC_CHECKS.flatMap((check) =>
    specs.map((spec, i) => {
      const basis = check.basis(spec);
      const none = basis.confidence === 'not required' ? '(none: no document asks for it)' : '(none: our reading)';
      const source = basis.source ? describeSource(spec.x, basis.source).replace(/\|/g, '\\|') : none;
      return [i ? '' : `\`${check.id}\``, i ? '' : check.title, spec.id, basis.confidence, source];
    }),
  );
  return [
    '## Traffic checks',
    '',
    "`verify-client --provider <id> --har <file>…` (and the proxy's record) judges a client in any language from",
    'its recorded traffic with these checks, each a pure function over the exchange sequence. Per provider: the fact',
    'it judges on and its confidence — **documented** (a finding fails), **inferred** (our reading: a finding warns,',
    'fails under `--strict`), **not required** (the documents do not ask for the behaviour: the check skips, saying',
    'so). A check with no evidence in the traffic is skip with what would give some (`mock --faults documented`).',
    '',
    formatMarkdownTable(['id', 'what it expects', 'provider', 'confidence', 'source'], rows),
    '',
    ...renderFirstFrameFields(specs),
  ].join('\n');
}

/** Which body fields traffic.first_frame reads per provider (and which keys traffic.request_schema leaves to it). */
function renderFirstFrameFields(specs: ProviderSpec[]): string[] {
  const rows = specs.map((spec) => {
    const { declared, generic } = firstFrameFields(spec);
    const outcome = spec.x.firstFrame.outcome;
    const code = (list: string[]) => list.map((f) => `\`${f}\``).join(', ');
    const item = (pointer: string) => {
      const marker = (spec.x.firstFrame.set[pointer] as { type?: unknown }[] | undefined)?.[0];
      return Array.isArray(spec.x.firstFrame.set[pointer]) && marker?.type
        ? `\`${pointer}\` (an item of type \`${String(marker.type)}\`)`
        : `\`${pointer}\``;
    };
    const own = declared.map(item).join(', ');
    return outcome === 'accept'
      ? [spec.id, own, '(none: the check skips, a first frame is documented)', outcome]
      : [spec.id, own, code(generic), outcome];
  });
  return [
    '### Which fields count as a first frame',
    '',
    "`traffic.first_frame` reads each create body at the spec's own first-frame field (`x-conformance.firstFrame.set`:",
    'its finding has the documented outcome: fails where the documents reject a first frame, warns where they are',
    "silent) and, at the top level, at every common first-frame spelling of other video APIs that the provider's",
    'text-to-video schema does not document (a documented field of that name means what the schema says): a finding',
    'there is our reading and warns (fails under `--strict`). `traffic.request_schema` warns on any other top-level',
    'key the schema does not name (every shipped schema leaves the body open), and leaves these to',
    '`traffic.first_frame`.',
    '',
    formatMarkdownTable(
      ['provider', "the spec's field", 'undocumented spellings also read', 'documented outcome'],
      rows,
    ),
    '',
  ];
}
