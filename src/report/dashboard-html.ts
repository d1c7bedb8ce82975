import { createHash } from 'node:crypto';
import { everyCheckCaption } from '../core/plural.ts';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { CheckStatus } from '../checks/types.ts';
import { DASHBOARD_SCRIPT } from './dashboard-client.ts';
import type { DashboardModel, Matrix } from './dashboard-model.ts';
import { STATUS_ORDER } from './causes.ts';

const MARK: Record<CheckStatus, string> = {
  pass: '✓ pass',
  fail: '✗ fail',
  warn: '! warn',
  info: 'i info',
  skip: '– skip',
  error: '⚠ error',
};

/** uPlot (the kept charting library), read once from its package and inlined: the page opens with no network. */
let library: { js: string; css: string } | undefined;
function uPlotSource(): { js: string; css: string } {
  if (!library) {
    const require = createRequire(import.meta.url);
    library = {
      js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    };
  }
  return library;
}

/** Text into HTML: every character that could open markup or an attribute is an entity. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Data into a script block: "</script>", "<!--" and the JS line separators cannot end or bend it. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

function matrixTable(m: Matrix, rows: Matrix['rows']): string {
  const columns = m.providers.map((p) => `<th scope="col">${escapeHtml(p)}</th>`).join('');
  const head = `<tr><th scope="col">check</th>${columns}</tr>`;
  const body = rows
    .map((r) => {
      const cells = m.providers
        .map((p) => {
          const c = r.cells[p];
          if (!c) return '<td class="s-none">—</td>';
          const mark = escapeHtml(MARK[c.status]);
          return (
            `<td class="s-${c.status}" data-status="${c.status}" ` +
            `title="${escapeHtml(c.title)}">${c.anchor ? `<a href="#${escapeHtml(c.anchor)}">${mark}</a>` : mark}</td>`
          );
        })
        .join('');
      return (
        `<tr data-check="${escapeHtml(r.check)}"><th ` +
        `scope="row"><code>${escapeHtml(r.check)}</code></th>${cells}</tr>`
      );
    })
    .join('\n');
  return `<table class="matrix"><thead>${head}</thead><tbody>\n${body}\n</tbody></table>`;
}

/**
 * Fonts with Chinese, Japanese and Korean glyphs on each system (the sources quote Chinese text; without one of these
 * a browser may draw boxes): Noto / Source Han (Linux), PingFang and Hiragino (macOS), Microsoft YaHei (Windows).
 */
const CJK_FONTS =
  '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans", ' +
  '"Microsoft YaHei", "WenQuanYi Micro Hei"';

const STYLE =
  `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe ` +
  `UI", Roboto, "DejaVu Sans", ${CJK_FONTS}, sans-serif; font-size: 14px; }
body { margin: 0 ` +
  `auto; padding: 16px 24px 48px; max-width: 1400px; color: #111827; background: ` +
  `#fff; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: ` +
  `28px 0 8px; border-bottom: 1px solid #e5e7eb; padding-bottom: 4px; }
.facts { ` +
  `margin: 0; padding-left: 18px; color: #374151; }
table.matrix { ` +
  `border-collapse: collapse; font-size: 12px; }
table.matrix th, table.matrix td ` +
  `{ border: 1px solid #e5e7eb; padding: 3px 6px; text-align: left; white-space: ` +
  `nowrap; }
table.matrix thead th { position: sticky; top: 0; background: ` +
  `#f9fafb; }
td.s-pass { background: #dcfce7; } td.s-fail { background: #fecaca; ` +
  `font-weight: 600; } td.s-error { background: #fde68a; font-weight: 600; ` +
  `}
td.s-warn { background: #fef9c3; } td.s-info { background: #e0f2fe; } ` +
  `td.s-skip { background: #f3f4f6; color: #6b7280; } td.s-none { color: #9ca3af; ` +
  `}
td a { color: inherit; }
.charts { display: grid; grid-template-columns: ` +
  `repeat(auto-fill, minmax(560px, 1fr)); gap: 16px; }
.chart { min-height: 250px; ` +
  `} .chart h3 { font-size: 13px; margin: 0 0 4px; font-weight: 600; } .chart-note { margin: 0 0 4px; font-size: 12px; }
.detail { ` +
  `border-left: 4px solid #e5e7eb; padding: 2px 10px; margin: 8px 0; } ` +
  `.detail.s-fail { border-color: #dc2626; } .detail.s-error { border-color: ` +
  `#d97706; } .detail.s-warn { border-color: #ca8a04; } .detail.s-info { ` +
  `border-color: #0284c7; }
.detail h3 { font-size: 13px; margin: 4px 0; } .detail ` +
  `ul { margin: 0; padding-left: 18px; } pre { background: #f3f4f6; padding: 6px; ` +
  `white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12px; }
pre, code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, ${CJK_FONTS}, monospace; }
ul.causes li { font-weight: 600; margin: 2px 0; }
table.timelines { border-collapse: collapse; font-size: 12px; } table.timelines th, table.timelines td { ` +
  `padding: 1px 6px; text-align: left; white-space: nowrap; }
.timeline { display: inline-flex; gap: 1px; vertical-align: middle; } .timeline i { display: inline-block; ` +
  `width: 7px; height: 14px; background: #d1d5db; } .timeline i.s-pass { background: #16a34a; } ` +
  `.timeline i.s-fail { background: #dc2626; } .timeline i.s-error { background: #d97706; } ` +
  `.timeline i.s-warn { background: #ca8a04; } .timeline i.s-info { background: #0284c7; } ` +
  `.timeline i.s-skip { background: #e5e7eb; }
ul.steps li { margin: 2px 0; } .muted { ` +
  `color: #6b7280; }
`;

/**
 * One self-contained HTML file: the provider × check matrix, failure details and skip reasons, the trend charts
 * (uPlot inlined) and the run-to-run changes. Every string from a run (a gateway's own words included) is escaped;
 * a Content-Security-Policy lets only the page's two scripts run and nothing load from anywhere.
 */
export function renderDashboardHtml(model: DashboardModel): string {
  const { js, css } = uPlotSource();
  // failing rows before warning rows
  const worst = (r: Matrix['rows'][number]) =>
    Math.min(...Object.values(r.cells).map((c) => (c ? STATUS_ORDER[c.status] : 9)));
  const notPassing = model.matrix.rows
    .filter((r) => Object.values(r.cells).some((c) => c && c.status !== 'pass' && c.status !== 'skip'))
    .sort((a, b) => worst(a) - worst(b));
  const csp =
    `default-src 'none'; script-src ${sha256(js)} ${sha256(DASHBOARD_SCRIPT)}; ` +
    `style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;
  const section = (title: string, body: string) => `<h2>${escapeHtml(title)}</h2>\n${body}`;
  const list = (items: string[], cls = '') =>
    items.length
      ? `<ul${cls ? ` class="${cls}"` : ''}>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`
      : '<p class="muted">none</p>';
  const parts = [
    `<h1>${escapeHtml(model.title)}</h1>`,
    list(model.facts, 'facts'),
    ...(model.causes?.length ? [section('Likely causes', list(model.causes, 'causes'))] : []),
    ...(model.changes ? [section('Changes since the reference run', list(model.changes))] : []),
    section(
      `Not passing (${notPassing.length} checks)`,
      notPassing.length
        ? matrixTable(model.matrix, notPassing)
        : model.matrix.rows.length
          ? '<p>Every check that ran passed.</p>'
          : '<p>No check ran: nothing was judged.</p>',
    ),
    section(`What did not pass, with its evidence (${model.details.length})`, detailsHtml(model, list)),
    section(
      'Trends',
      model.charts.length
        ? `<div class="charts">${model.charts
            .map(
              (c) =>
                `<figure class="chart" id="${escapeHtml(c.id)}" data-chart><h3>${escapeHtml(c.title)}</h3>` +
                `${c.note ? `<p class="muted chart-note">${escapeHtml(c.note)}</p>` : ''}</figure>`,
            )
            .join('\n')}</div>`
        : '<p class="muted">no runs in the history yet</p>',
    ),
    ...(model.timelines ? [section('Status per run, oldest → newest', timelineTable(model.timelines))] : []),
    ...(model.coverage
      ? [section('Coverage age (when a live run last judged each check; oldest first)', coverageHtml(model))]
      : []),
    section(`Changes between runs, newest first (${model.steps.length})`, stepsHtml(model)),
    section(`Skipped (${model.skipped.reduce((n, s) => n + s.cells.length, 0)})`, skippedHtml(model)),
    section(
      everyCheckCaption(model.matrix.rows.length, model.matrix.providers.length),
      `<details><summary>show the whole matrix</summary>\n${matrixTable(model.matrix, model.matrix.rows)}\n</details>`,
    ),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(model.title)}</title>
<style>${css}${STYLE}</style>
</head>
<body>
${parts.join('\n')}
<script type="application/json" id="kc-data">${jsonForScript({ charts: model.charts })}</script>
<script>${js}</script>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;
}

/** One row per check: a strip of coloured cells, one per run (its tooltip: run id, time, status). */
function timelineTable(rows: NonNullable<DashboardModel['timelines']>): string {
  const body = rows
    .map(
      (r) =>
        `<tr data-timeline="${escapeHtml(r.label)}"><th scope="row"><code>${escapeHtml(r.label)}</code></th>` +
        `<td class="s-${r.current}">${escapeHtml(MARK[r.current])}</td><td><span class="timeline">` +
        `${r.cells.map((c) => `<i class="s-${c.status}" title="${escapeHtml(c.title)}"></i>`).join('')}` +
        '</span></td></tr>',
    )
    .join('\n');
  return (
    '<table class="timelines"><thead><tr><th scope="col">check</th><th scope="col">now</th>' +
    `<th scope="col">runs</th></tr></thead><tbody>\n${body}\n</tbody></table>`
  );
}

/** each check that did not pass, with its evidence lines and curl */
const detailsHtml = (model: DashboardModel, list: (items: string[]) => string) =>
  model.details.length
    ? model.details
        .map(
          (d) =>
            `<div class="detail s-${d.status}" id="${escapeHtml(d.anchor)}"><h3>${escapeHtml(d.heading)}</h3>` +
            `${list(d.lines)}${d.curl ? `<pre>${escapeHtml(d.curl)}</pre>` : ''}</div>`,
        )
        .join('\n')
    : '<p class="muted">none</p>';

/** per provider × check: when a live run last judged it, and how long ago */
const coverageHtml = (model: DashboardModel) =>
  `<table class="coverage"><thead><tr><th>provider</th><th>check</th><th>last judged live</th>` +
  `<th>coverage age</th></tr></thead><tbody>${(model.coverage ?? [])
    .map(
      (c) =>
        `<tr><td>${escapeHtml(c.provider)}</td><td>${escapeHtml(c.check)}</td>` +
        `<td>${escapeHtml(c.lastJudgedLive)}</td><td>${escapeHtml(c.age)}</td></tr>`,
    )
    .join('')}</tbody></table>`;

/** the changes between runs, newest first */
const stepsHtml = (model: DashboardModel) =>
  model.steps.length
    ? `<ul class="steps">${model.steps
        .map(
          (s) =>
            `<li><b>${escapeHtml(s.id)}</b> <span class="muted">${escapeHtml(s.startedAt)}</span>: ` +
            `${escapeHtml(s.lines.join('; '))}</li>`,
        )
        .join('\n')}</ul>`
    : '<p class="muted">none</p>';

/** skip reasons, each with the first cells it applies to */
const skippedHtml = (model: DashboardModel) =>
  model.skipped.length
    ? `<ul>${model.skipped
        .map((s) => `<li>${escapeHtml(s.reason)}: <span class="muted">${escapeHtml(firstOf(s.cells, 8))}</span></li>`)
        .join('\n')}</ul>`
    : '<p class="muted">none</p>';

/** "a, b, c" — or the first n and how many more */
const firstOf = (items: string[], n: number) =>
  items.length > n ? `${items.slice(0, n).join(', ')} and ${items.length - n} more` : items.join(', ');
