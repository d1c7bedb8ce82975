/**
 * The dashboard page's own script (plain ES2020, run by the browser, never by Node): it reads the chart data from
 * the page's JSON block and hands each chart to uPlot, which is inlined beside it. Each chart container is then
 * marked with what it drew (data-points, data-series) so a headless browser can tell an empty chart from a drawn one.
 * Times are shown in UTC whatever the viewer's zone: nightly runs are compared night to night.
 */
export const DASHBOARD_SCRIPT =
  `(() => {
  'use strict';
  const data = ` +
  `JSON.parse(document.getElementById('kc-data').textContent);
  const palette = ` +
  `['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#be185d', ` +
  `'#4d7c0f', '#92400e', '#475569'];
  const format = (v, unit) => (v == null ? ` +
  `'—' : unit === '%' ? v + ' %' : unit === 's' ? v + ' s' : v + ' ' + unit);
  ` +
  `for (const chart of data.charts) {
    const el = ` +
  `document.getElementById(chart.id);
    const opts = {
      width: ` +
  `Math.max(320, el.clientWidth),
      height: 220,
      tzDate: (ts) => ` +
  `uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { x: { time: true ` +
  `}, y: chart.yRange ? { range: chart.yRange } : {} },
      series: [
        { ` +
  `label: 'run (UTC)' },
        ...chart.series.map((s, i) => ({ label: s.label, ` +
  `stroke: palette[i % palette.length], width: 2, spanGaps: false, points: { show: ` +
  `true, size: 5 }, value: (u, v) => format(v, chart.unit) })),
      ],
      // ` +
  `a currency stays in the title: its name can be long ("credits"), the axis keeps ` +
  `the numbers
      axes: [{}, { size: 64, values: (u, ticks) => ticks.map((v) => ` +
  `(chart.unit === '%' || chart.unit === 's' ? format(v, chart.unit) : String(v))) ` +
  `}],
    };
    new uPlot(opts, [chart.x, ...chart.series.map((s) => s.values)], ` +
  `el);
    el.dataset.points = String(chart.x.length);
    el.dataset.series = ` +
  `String(chart.series.length);
  }
  document.body.dataset.charts = ` +
  `String(data.charts.length);
})();
`;
