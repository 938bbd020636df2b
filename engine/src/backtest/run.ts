import { SigmatiqError } from '../errors.js';
import { resolveBacktestConfig, periodsPerYear, tradingHoursMask, type BacktestConfig, type BacktestConfigInput } from './config.js';
import type { BacktestMetrics } from './metrics.js';
import { BAR_STATUS_NAMES, finishColumns, Recorder, type BarRecords, type BarStatusName, type FillRecords, type OrderRecords, type TradeRecords } from './records.js';
import { simulate, validBar, type Prepared, type SimBars } from './simulate.js';

export type BacktestBars = SimBars & { readonly interval: string };

export interface BacktestSignals {
  readonly entry: Uint8Array;
  readonly exit: Uint8Array;
}

export type StatusCounts = Readonly<Record<Exclude<BarStatusName, 'OK'>, number>>;

export interface BacktestResult {
  readonly metrics: BacktestMetrics;
  /** Bars carrying each status flag (0 everywhere = a clean run). */
  readonly status: StatusCounts;
  readonly finalEquity: number;
  readonly periodsPerYear: number;
  readonly config: BacktestConfig;
  readonly bars: BarRecords;
  readonly orders: OrderRecords;
  readonly fills: FillRecords;
  readonly trades: TradeRecords;
}

/** Realized volatility per bar: sample std (ddof 1) of the last `lookback` log returns × √ppy. */
function realizedVol(close: Float64Array, lookback: number, ppy: number): Float64Array {
  const n = close.length;
  const out = new Float64Array(n).fill(NaN);
  const lr = new Float64Array(n).fill(NaN);
  for (let i = 1; i < n; i++) lr[i] = Math.log((close[i] as number) / (close[i - 1] as number));
  const scale = Math.sqrt(ppy);
  for (let i = lookback; i < n; i++) {
    let mean = 0;
    for (let j = i - lookback + 1; j <= i; j++) mean += lr[j] as number;
    mean /= lookback;
    let ss = 0;
    for (let j = i - lookback + 1; j <= i; j++) ss += ((lr[j] as number) - mean) ** 2;
    out[i] = Math.sqrt(ss / (lookback - 1)) * scale;
  }
  return out;
}

/**
 * What depends only on (bars, config) — annualization, trading-hours mask, volatility — computed
 * once. Sweeps call this once per data set and config shape and pass it to `backtestMetrics`.
 */
export function prepareBacktest(bars: BacktestBars, cfg: BacktestConfig): Prepared {
  const ppy = periodsPerYear(bars.interval, cfg);
  const hours = cfg.tradingHours.length > 0 ? tradingHoursMask(bars.ts, cfg.tradingHours) : undefined;
  const vol = cfg.sizing.mode === 'volatility_target' ? realizedVol(bars.close, cfg.sizing.lookback, ppy) : undefined;
  let allValid = true;
  for (let i = 0; i < bars.length && allValid; i++) {
    allValid = validBar(bars.open[i] as number, bars.high[i] as number, bars.low[i] as number, bars.close[i] as number);
  }
  return { periodsPerYear: ppy, hours, vol, allValid };
}

function checkSignals(bars: SimBars, s: BacktestSignals): void {
  for (const [name, arr] of [['entry', s.entry], ['exit', s.exit]] as const) {
    if (!(arr instanceof Uint8Array) || arr.length !== bars.length) {
      throw new SigmatiqError('BACKTEST_INPUT', `${name} signals must be a Uint8Array of length ${bars.length}`, { field: name });
    }
  }
}

function statusOf(counts: Int32Array): StatusCounts {
  const out: Record<string, number> = {};
  BAR_STATUS_NAMES.forEach((name, i) => {
    out[name] = counts[i] ?? 0;
  });
  return out as StatusCounts;
}

/** Full path: every record (orders, fills, trades, equity, drawdown, position, status). */
export function runBacktest(bars: BacktestBars, signals: BacktestSignals, config: BacktestConfigInput = {}, prep?: Prepared): BacktestResult {
  const cfg = resolveBacktestConfig(config);
  checkSignals(bars, signals);
  const p = prep ?? prepareBacktest(bars, cfg);
  const rec = new Recorder(bars.length);
  const out = simulate(bars, signals.entry, signals.exit, cfg, p, rec);
  return {
    metrics: out.metrics,
    status: statusOf(out.statusCounts),
    finalEquity: out.finalEquity,
    periodsPerYear: p.periodsPerYear,
    config: cfg,
    bars: rec.bars(),
    orders: finishColumns(rec.orders),
    fills: finishColumns(rec.fills),
    trades: finishColumns(rec.trades),
  };
}

/**
 * Sweep fast path: the same simulator with recording off — metrics only, no record arrays.
 * `cfg` must come from `resolveBacktestConfig` and `prep` from `prepareBacktest(bars, cfg)` for
 * these same bars (both once per sweep, not per combination); signals are not re-checked here.
 */
export function backtestMetrics(bars: SimBars, entry: Uint8Array, exit: Uint8Array, cfg: BacktestConfig, prep: Prepared): BacktestMetrics {
  return simulate(bars, entry, exit, cfg, prep, null).metrics;
}

/** Like `backtestMetrics`, plus the status counts and final equity. */
export function backtestSummary(bars: SimBars, entry: Uint8Array, exit: Uint8Array, cfg: BacktestConfig, prep: Prepared): { metrics: BacktestMetrics; status: StatusCounts; finalEquity: number } {
  const out = simulate(bars, entry, exit, cfg, prep, null);
  return { metrics: out.metrics, status: statusOf(out.statusCounts), finalEquity: out.finalEquity };
}
