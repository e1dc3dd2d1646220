// report.html's plots: one uPlot chart per panel, all on one time axis (zoom one, all follow; the
// cursor moves on all), values read out with their unit in each legend. Plain browser JS, inlined
// into the page with uPlot itself, so the file opens offline.
'use strict';
(() => {
  const COLORS = ['#1565c0', '#c62828', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#ad1457', '#4e342e', '#558b2f', '#283593'];
  const CLOCK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200];
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const clock = data.timeAxis === 'clock';
  const plots = [];
  let syncing = false;

  function trim(s) { return s.includes('e') || !s.includes('.') ? s : s.replace(/\.?0+$/, ''); }
  /** 4 significant digits, engineering exponent outside 0.001–10000 (the tables' format). */
  function num(v) {
    if (v == null || !Number.isFinite(v)) return '—';
    const a = Math.abs(v);
    if (a === 0 || (a >= 1e-3 && a < 1e4)) return trim(v.toPrecision(4));
    const e = Math.floor(Math.log10(a) / 3) * 3;
    return `${trim((v / 10 ** e).toPrecision(4))}e${e}`;
  }
  function decimalsFor(step) {
    let d = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    while (d < 12 && Math.abs(step * 10 ** d - Math.round(step * 10 ** d)) > 1e-6) d++;
    return d;
  }
  function clockText(s, withSeconds) {
    const day = ((s % 86400) + 86400) % 86400;
    const h = Math.floor(day / 3600), m = Math.floor((day % 3600) / 60), sec = Math.floor(day % 60);
    const p = (x) => String(x).padStart(2, '0');
    return withSeconds ? `${p(h)}:${p(m)}:${p(sec)}` : `${p(h)}:${p(m)}`;
  }
  const timeValue = (u, v) => (v == null ? '—' : clock ? clockText(v, true) : `${num(v)} s`);
  function timeTicks(u, splits, axisIdx, space, incr) {
    if (clock) return splits.map((s) => clockText(s, incr < 60));
    const d = decimalsFor(incr || 1);
    return splits.map((s) => s.toFixed(d));
  }
  function valueTicks(u, splits, axisIdx, space, incr) {
    const big = Math.max(...splits.map((x) => Math.abs(x)));
    if (big >= 1e5 || (big > 0 && big < 1e-3)) return splits.map(num);
    const d = decimalsFor(incr || 1);
    return splits.map((s) => s.toFixed(d));
  }

  function syncX(from) {
    if (syncing) return;
    syncing = true;
    const { min, max } = from.scales.x;
    for (const p of plots) if (p !== from) p.setScale('x', { min, max });
    syncing = false;
  }

  const root = document.getElementById('plots');
  const stepped = uPlot.paths && uPlot.paths.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined;
  for (const panel of data.panels) {
    const fig = document.createElement('figure');
    const cap = document.createElement('figcaption');
    cap.textContent = panel.title;
    const box = document.createElement('div');
    fig.append(cap, box);
    root.append(fig);
    const unit = panel.unit;
    const opts = {
      width: Math.max(320, root.clientWidth - 8),
      height: 220,
      scales: { x: { time: false } },
      cursor: { sync: { key: 'report' }, drag: { x: true, y: false } },
      legend: { live: true },
      series: [
        { label: clock ? 'local time' : 't', value: timeValue },
        ...panel.series.map((s, i) => ({
          label: s.label,
          stroke: COLORS[i % COLORS.length],
          width: 1.3,
          spanGaps: true,
          paths: panel.stepped ? stepped : undefined,
          value: (u, v) => (v == null ? '—' : unit ? `${num(v)} ${unit}` : num(v)),
        })),
      ],
      axes: [
        // On a clock, ticks at whole minutes and hours (uPlot's default steps are decimal).
        { label: clock ? 'local time (hh:mm)' : 't (s)', values: timeTicks, ...(clock ? { incrs: CLOCK_STEPS } : {}) },
        { label: unit ? `[${unit}]` : '', values: valueTicks, size: 64 },
      ],
      hooks: { setScale: [(u, key) => { if (key === 'x') syncX(u); }] },
    };
    plots.push(new uPlot(opts, [panel.t, ...panel.series.map((s) => s.values)], box));
  }
  window.addEventListener('resize', () => {
    for (const p of plots) p.setSize({ width: Math.max(320, root.clientWidth - 8), height: 220 });
  });
  // Read by tests/report/report-browser.test.ts.
  window.hilbenchReport = { plots, xRange: (i) => [plots[i].scales.x.min, plots[i].scales.x.max] };
})();
