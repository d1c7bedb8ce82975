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
  // lines that lie on top of each other (every provider at 100 %) stay apart: each series its own dash and width,
  // drawn widest first, so the one beneath still shows around the one above
  const dashes = [[], [10, 6], [2, 4], [14, 4, 2, 4], [6, 3], [1, 6], [18, 6], [4, 2, 1, 2], [8, 8], [3, 9]];
  // runs where a check newly failed: a dashed red line across the chart (their labels in the chart's title tooltip)
  const markerHook = (markers) => (u) => {
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = '#dc2626';
    ctx.lineWidth = 1.5;
    ctx.setLineDash([4, 3]);
    for (const m of markers) {
      const x = Math.round(u.valToPos(m.x, 'x', true));
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
    }
    ctx.restore();
  };
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
      // one run: the day around it (chart.xRange), not years with the point at an edge
      scales: { x: chart.xRange ? { time: true, range: chart.xRange } : { time: true ` +
  `}, y: chart.yRange ? { range: chart.yRange } : {} },
      series: [
        { ` +
  `label: 'run (UTC)' },
        ...chart.series.map((s, i) => ({ label: s.label, ` +
  `stroke: palette[i % palette.length], width: Math.max(1.5, 5 - i * 0.7), dash: ` +
  `dashes[i % dashes.length], spanGaps: false, ` +
  `points: { show: true, size: 5 + ((chart.series.length - i) % 3) * 2 }, ` +
  `value: (u, v) => format(v, chart.unit) })),
      ],
      // ` +
  `a currency stays in the title: its name can be long ("credits"), the axis keeps ` +
  `the numbers
      axes: [{}, { size: 64, values: (u, ticks) => ticks.map((v) => ` +
  `(chart.unit === '%' || chart.unit === 's' ? format(v, chart.unit) : String(v))) ` +
  `}],
      hooks: { draw: chart.markers && chart.markers.length ? [markerHook(chart.markers)] : [] },
    };
    if (chart.markers && chart.markers.length) el.title = chart.markers.map((m) => m.label).join('\\n');
    new uPlot(opts, [chart.x, ...chart.series.map((s) => s.values)], ` +
  `el);
    el.dataset.points = String(chart.x.length);
    el.dataset.series = ` +
  `String(chart.series.length);
    el.dataset.markers = String((chart.markers || []).length);
  }
  document.body.dataset.charts = ` +
  `String(data.charts.length);
})();
`;
