/**
 * `%backtest <model>` / `sq.backtest`: the model's latest version on a data snapshot (optionally
 * cut to --from/--to), full records, and a run registered in the sidecar with its lineage
 * (run <- model version, run <- data snapshot). The run is registered after the backtest succeeded.
 */
import { REASON, runStrategyBacktest, type BacktestResult, type BacktestSummary, type Bars } from '@sigmatiq/engine';
import { bundle, type DisplayOutput, type Displayable, table, toMimeBundle } from '../display/mime.js';
import { plot, type PlotlyFigure } from '../display/plotly.js';
import type { SidecarLocator } from '../sidecar/locate.js';
import { modelBars, type RangeOptions } from './model-data.js';
import { loadModel, type ModelOptions } from './models.js';
import { addLink, registerRun, runTransition } from './registry.js';

export interface BacktestOptions extends RangeOptions, ModelOptions {
  /** A model version number (default: the latest). */
  version?: number;
}

/** Points drawn per chart at most (equity: last of each bucket; drawdown: deepest of each bucket). */
export const MAX_CHART_POINTS = 5000;
/** Trades shown in the table at most (all are in `result.trades`). */
export const MAX_TRADE_ROWS = 500;

const METRIC_ROWS: readonly (readonly [keyof BacktestSummary, string])[] = [
  ['total_return', 'Total return'], ['annualized_return', 'Annualized return'], ['sharpe_ratio', 'Sharpe'], ['sortino_ratio', 'Sortino'],
  ['calmar_ratio', 'Calmar'], ['max_drawdown', 'Max drawdown'], ['win_rate', 'Win rate'], ['profit_factor', 'Profit factor'],
  ['total_trades', 'Trades'], ['avg_trade_duration_days', 'Avg trade (days)'], ['best_trade', 'Best trade'], ['worst_trade', 'Worst trade'],
  ['avg_winner', 'Avg winner'], ['avg_loser', 'Avg loser'], ['exposure', 'Exposure'],
];

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Bucketed series for display: x = bucket's last timestamp, y = pick(bucket). */
export function downsample(ts: Float64Array, ys: Float64Array, max: number, pick: 'last' | 'max'): { x: string[]; y: number[] } {
  const n = ts.length;
  const step = Math.max(1, Math.ceil(n / max));
  const x: string[] = [];
  const y: number[] = [];
  for (let s = 0; s < n; s += step) {
    const e = Math.min(n, s + step);
    let v = ys[e - 1] ?? Number.NaN;
    if (pick === 'max') for (let i = s; i < e; i++) v = Math.max(v, ys[i] ?? Number.NaN);
    x.push(iso(ts[e - 1] ?? 0));
    y.push(v);
  }
  return { x, y };
}

/** The result of `%backtest` / `sq.backtest`. */
export class BacktestReport implements Displayable {
  constructor(
    readonly model: { readonly name: string; readonly id: string; readonly version: number; readonly versionId: string; readonly configHash: string },
    readonly data: { readonly snapshotHash: string; readonly snapshotId: string; readonly symbol: string; readonly interval: string; readonly start: string; readonly end: string; readonly bars: number },
    readonly summary: BacktestSummary,
    readonly result: BacktestResult,
    readonly bars: Bars,
    /** The sidecar run: reused when the same run_hash was registered before. */
    readonly run: { readonly id: string; readonly runHash: string; readonly reused: boolean },
    /** Things to know about this run (e.g. the model's instrument is not the data's symbol). */
    readonly notes: readonly string[] = [],
  ) {}

  metricsTable(): Displayable & DisplayOutput {
    const rows = METRIC_ROWS.map(([k, label]) => ({ metric: label, value: this.summary[k] }));
    for (const n of this.notes) rows.push({ metric: 'Note', value: n });
    rows.push({ metric: 'Bars', value: this.data.bars }, { metric: 'Engine run_hash', value: this.summary.run_hash.slice(0, 16) }, { metric: 'Sidecar run', value: `${this.run.id}${this.run.reused ? ' (reused)' : ''}` });
    return table(rows, ['metric', 'value'], `Backtest ${this.model.name} v${this.model.version} on ${this.data.symbol} ${this.data.interval} ${this.data.start} → ${this.data.end}`);
  }

  /** Equity and drawdown (two stacked panels sharing the time axis). */
  figure(maxPoints: number = MAX_CHART_POINTS): PlotlyFigure {
    const eq = downsample(this.bars.ts, this.result.bars.equity, maxPoints, 'last');
    const dd = downsample(this.bars.ts, this.result.bars.drawdown, maxPoints, 'max');
    return {
      data: [
        { type: 'scatter', mode: 'lines', name: 'Equity', x: eq.x, y: eq.y, xaxis: 'x', yaxis: 'y' },
        { type: 'scatter', mode: 'lines', name: 'Drawdown', x: dd.x, y: dd.y.map((v) => -v), fill: 'tozeroy', xaxis: 'x', yaxis: 'y2', line: { color: '#d62728' } },
      ],
      layout: {
        title: { text: `${this.model.name} v${this.model.version}: equity and drawdown` },
        grid: { rows: 2, columns: 1, pattern: 'coupled' },
        yaxis: { title: { text: 'Equity' }, domain: [0.35, 1] },
        yaxis2: { title: { text: 'Drawdown' }, tickformat: '.0%', domain: [0, 0.28] },
        xaxis: { type: 'date' },
        height: 520,
        showlegend: false,
      },
    };
  }

  chart(): Displayable & DisplayOutput {
    return plot(this.figure());
  }

  /** One row per trade (at most `limit`, the latest last). */
  tradeRows(limit: number = MAX_TRADE_ROWS): Record<string, unknown>[] {
    const t = this.result.trades;
    const ts = this.bars.ts;
    const rows: Record<string, unknown>[] = [];
    for (let i = 0; i < Math.min(limit, t.entryBar.length); i++) {
      rows.push({
        '#': i + 1,
        entry: day(ts[t.entryBar[i] ?? 0] ?? 0),
        exit: (t.open[i] ?? 0) === 1 ? 'open' : day(ts[t.exitBar[i] ?? 0] ?? 0),
        side: (t.side[i] ?? 1) > 0 ? 'long' : 'short',
        qty: t.qty[i],
        entry_price: t.entryPrice[i],
        exit_price: t.exitPrice[i],
        pnl: t.pnl[i],
        return: t.ret[i],
        days: t.durationDays[i],
        reason: REASON[t.exitReason[i] ?? 0] ?? '',
      });
    }
    return rows;
  }

  tradesTable(limit: number = MAX_TRADE_ROWS): Displayable & DisplayOutput {
    const n = this.result.trades.entryBar.length;
    const caption = n > limit ? `Trades: first ${limit} of ${n} (all in result.trades)` : `Trades: ${n}`;
    return table(this.tradeRows(limit), ['#', 'entry', 'exit', 'side', 'qty', 'entry_price', 'exit_price', 'pnl', 'return', 'days', 'reason'], caption);
  }

  /** Metrics, chart and trades in one bundle (HTML + Plotly; the magic displays them one by one). */
  [toMimeBundle](): DisplayOutput {
    const m = this.metricsTable();
    const t = this.tradesTable();
    const fig = this.figure();
    return bundle({
      'text/plain': `${m.data['text/plain']}\n\n${t.data['text/plain']}`,
      'text/html': `${String(m.data['text/html'])}${String(t.data['text/html'])}`,
      'application/vnd.plotly.v1+json': { data: fig.data, layout: fig.layout ?? {}, config: {} },
    });
  }
}

/** A note when the model names an instrument other than the data's symbol (case-insensitive). */
export function instrumentNotes(instrument: string | undefined, symbol: string): string[] {
  if (instrument === undefined || instrument.toUpperCase() === symbol.toUpperCase()) return [];
  return [`the model's instrument is ${instrument} but the data's symbol is ${symbol}`];
}

/** Runs the model's backtest, then registers the run and its lineage in the sidecar. */
export async function backtestModel(locator: SidecarLocator, name: string, opts: BacktestOptions = {}): Promise<BacktestReport> {
  const m = await loadModel(locator, name, { ...(opts.packsDir === undefined ? {} : { packsDir: opts.packsDir }), ...(opts.version === undefined ? {} : { version: opts.version }) });
  const d = await modelBars(locator, m, opts);
  const outcome = await runStrategyBacktest({ ...m.resolved.backtest, bars: d.bars });
  const result = outcome.result;
  if (result === undefined) throw new Error('runStrategyBacktest returned no records without a store');
  const config = {
    kind: 'backtest',
    model: m.model.name,
    model_version_id: m.version.id,
    model_config_hash: m.version.config_hash,
    engine_run_hash: outcome.summary.run_hash,
    range: d.range,
  };
  const { run, reused } = await registerRun(m.client, config, d.sidecar.id);
  if (!reused) {
    await runTransition(m.client, run.id, 'start');
    await runTransition(m.client, run.id, 'complete');
  }
  await addLink(m.client, { type: 'model_version', id: m.version.id }, { type: 'run', id: run.id });
  return new BacktestReport(
    { name: m.model.name, id: m.model.id, version: m.version.version, versionId: m.version.id, configHash: m.version.config_hash },
    { snapshotHash: d.snapshot.hash, snapshotId: d.sidecar.id, symbol: d.snapshot.symbol, interval: d.snapshot.interval, start: d.range.start, end: d.range.end, bars: d.bars.length },
    outcome.summary,
    result,
    d.bars,
    { id: run.id, runHash: run.run_hash, reused },
    instrumentNotes(m.config.instrument, d.snapshot.symbol),
  );
}
