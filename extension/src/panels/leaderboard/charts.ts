import type { Figure } from '../../renderers/plotly';
import type { ComboBacktest } from '../common/api';
import { h } from '../common/view';
import type { Heatmap } from './data';

/** Equity (top) and drawdown (bottom, negative percent) on a shared time axis, trade entries/exits marked. */
export function equityFigure(bt: ComboBacktest): Figure {
  const { ts, equity, drawdown } = bt.curve;
  const at = new Map(ts.map((t, i) => [t, equity[i] ?? null]));
  const nearest = (t: string): number | null => at.get(t) ?? null;
  const entries = bt.trades.filter((t) => nearest(t.entry_time) !== null);
  const exits = bt.trades.filter((t) => !t.open && nearest(t.exit_time) !== null);
  return {
    data: [
      { type: 'scatter', mode: 'lines', name: 'equity', x: ts, y: equity, xaxis: 'x', yaxis: 'y', line: { width: 1.5 } },
      { type: 'scatter', mode: 'markers', name: 'entry', x: entries.map((t) => t.entry_time), y: entries.map((t) => nearest(t.entry_time)), xaxis: 'x', yaxis: 'y', marker: { symbol: 'triangle-up', size: 7, color: '#2ca02c' } },
      { type: 'scatter', mode: 'markers', name: 'exit', x: exits.map((t) => t.exit_time), y: exits.map((t) => nearest(t.exit_time)), xaxis: 'x', yaxis: 'y', marker: { symbol: 'triangle-down', size: 7, color: '#d62728' } },
      { type: 'scatter', mode: 'lines', name: 'drawdown', x: ts, y: drawdown.map((d) => -100 * d), xaxis: 'x', yaxis: 'y2', fill: 'tozeroy', line: { width: 1, color: '#d62728' } },
    ],
    layout: {
      title: { text: `combo ${bt.combo_id} · ${bt.bars} bars${bt.curve.decimated ? ` (${ts.length} points shown)` : ''}`, font: { size: 13 } },
      grid: { rows: 2, columns: 1, roworder: 'top to bottom' },
      yaxis: { title: { text: 'equity' }, domain: [0.35, 1] },
      yaxis2: { title: { text: 'drawdown %' }, domain: [0, 0.27] },
      xaxis: { anchor: 'y2' },
      showlegend: true,
      legend: { orientation: 'h', y: 1.12 },
      height: 420,
    },
  };
}

export function heatmapFigure(hm: Heatmap, metric: string): Figure {
  return {
    data: [{ type: 'heatmap', x: hm.xs.map(String), y: hm.ys.map(String), z: hm.z, colorscale: 'RdYlGn', colorbar: { title: { text: metric } }, hoverongaps: false }],
    layout: { title: { text: `${metric} over ${hm.x} × ${hm.y}`, font: { size: 13 } }, xaxis: { title: { text: hm.x }, type: 'category' }, yaxis: { title: { text: hm.y }, type: 'category' }, height: 340 },
  };
}

const num = (v: number, digits = 4): string => (Number.isInteger(v) ? String(v) : v.toFixed(digits));

/** Metrics line and the trades table of the selected combination. */
export function tradesView(bt: ComboBacktest): HTMLElement {
  const m = (k: string): string => {
    const v = bt.metrics[k];
    // profit_factor null = +∞ (winning trades, no losing one; JSON has no infinity).
    if (k === 'profit_factor' && v === null) return '∞';
    return v === null || v === undefined ? 'n/a' : num(v);
  };
  const summary = h(
    'div',
    { class: 'sq-Combo-summary' },
    `Sharpe ${m('sharpe_ratio')} · return ${m('total_return')} · max DD ${m('max_drawdown')} · trades ${m('total_trades')} · run ${bt.run_hash.slice(0, 12)} · `,
    h('span', { class: bt.reproduced ? 'sq-ok' : 'sq-warn', 'data-reproduced': String(bt.reproduced) }, bt.reproduced ? 'reproduces the recorded metrics' : 'differs from the recorded metrics'),
  );
  const table = h('table', { class: 'sq-Trades-table' });
  const head = table.createTHead().insertRow();
  for (const c of ['entry', 'exit', 'side', 'qty', 'entry price', 'exit price', 'pnl', 'return', 'exit reason']) head.append(h('th', {}, c));
  const body = table.createTBody();
  for (const t of [...bt.trades].reverse()) {
    const tr = body.insertRow();
    tr.className = t.pnl >= 0 ? 'sq-win' : 'sq-loss';
    for (const v of [t.entry_time.slice(0, 16).replace('T', ' '), t.open ? 'open' : t.exit_time.slice(0, 16).replace('T', ' '), t.side, num(t.qty, 2), num(t.entry_price), num(t.exit_price), num(t.pnl, 2), num(t.return), t.exit_reason]) {
      tr.insertCell().textContent = v;
    }
  }
  const caption = h('div', { class: 'sq-Trades-caption' }, `Trades (${bt.trades_total}${bt.trades.length < bt.trades_total ? `, the last ${bt.trades.length} listed` : ''}, newest first)`);
  return h('div', { class: 'sq-Combo' }, summary, caption, h('div', { class: 'sq-Trades-scroll' }, table));
}
