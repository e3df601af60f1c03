/**
 * The chart of one metric per rep over weeks, drawn by Chart.js (its UMD bundle, served from
 * node_modules by Parley, defines `window.Chart`). One line per rep, one point per week; a week
 * without the rep's calls is a gap, not a 0.
 */
import { METRICS, dateOf } from './format.js';
import { repName } from './tables.js';

const PALETTE = ['#2f5bd3', '#d9480f', '#2b8a3e', '#862e9c', '#c2255c', '#0b7285', '#e67700', '#5c940d', '#364fc7', '#a61e4d'];

let chart;

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{ records: any[], metric: string, names: Map<string, string> }} data weekly records
 * @returns {{ labels: string[], datasets: { userId: string, label: string, data: (number|null)[] }[] }}
 */
export function weeklySeries({ records, metric, names }) {
  const labels = [...new Set(records.map((r) => dateOf(r.start_time)))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const byUser = new Map();
  for (const r of records) {
    let series = byUser.get(r.user.id);
    if (!series) {
      series = { userId: r.user.id, label: repName(r.user, names), data: labels.map(() => null) };
      byUser.set(r.user.id, series);
    }
    const v = r.metrics?.[metric];
    if (typeof v === 'number') series.data[index.get(dateOf(r.start_time))] = v;
  }
  const datasets = [...byUser.values()].sort((a, b) => a.label.localeCompare(b.label));
  return { labels, datasets };
}

/** Draws (or redraws) the chart; returns the series drawn. */
export function renderChart(canvas, { records, metric, names }) {
  const series = weeklySeries({ records, metric, names });
  const def = METRICS.find((m) => m.key === metric);
  const ChartJs = /** @type {any} */ (window).Chart;
  chart?.destroy();
  chart = new ChartJs(canvas, {
    type: 'line',
    data: {
      labels: series.labels,
      datasets: series.datasets.map((d, i) => ({
        label: d.label,
        data: d.data,
        borderColor: PALETTE[i % PALETTE.length],
        backgroundColor: PALETTE[i % PALETTE.length],
        spanGaps: false,
        // straight segments: a smoothed curve would draw values between weeks that no week had
        tension: 0,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: { title: { display: true, text: 'week starting' } },
        y: { title: { display: true, text: def ? `${def.label} (${def.unit})` : metric }, beginAtZero: true },
      },
      plugins: { legend: { position: 'right' } },
    },
  });
  canvas.setAttribute('aria-label', `${def?.label ?? metric} per rep, one point per week from ${series.labels[0] ?? '—'} to ${series.labels.at(-1) ?? '—'}`);
  return series;
}

export function clearChart() {
  chart?.destroy();
  chart = undefined;
}

/** The chart as drawn, for tests and for anyone poking at the page. */
export function currentChart() {
  return chart;
}
