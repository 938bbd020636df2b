/** Displays of `%validate` (p-value, confidence intervals with method and block length) and `%walkforward` (windows, stitched equity, degradation). */
import type { ValidationPayload, WalkForwardResult } from '@sigmatiq/engine';
import { bundle, type DisplayOutput, type Displayable, table, toMimeBundle } from '../display/mime.js';
import { plot, type PlotlyFigure } from '../display/plotly.js';
import type { SidecarValidation } from './training-store.js';

const f3 = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(3));
const pct = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The result of `%validate` / `sq.validate`. */
export class ValidationView implements Displayable {
  constructor(
    readonly target: string,
    /** Sharpe ratio and trades of the validated backtest. */
    readonly sharpe: number,
    readonly trades: number,
    readonly payload: ValidationPayload,
    readonly stored: SidecarValidation,
    /** True when the same run_hash was validated before (the stored row is returned). */
    readonly reused: boolean,
  ) {}

  get pValue(): number | null {
    return this.payload.permutation?.p_value ?? null;
  }

  /** Sharpe CI [low, high] (null without bootstrap). */
  get sharpeCi(): readonly [number, number] | null {
    const b = this.payload.bootstrap;
    return b === null ? null : [b.sharpe.low, b.sharpe.high];
  }

  rows(): { field: string; value: string }[] {
    const p = this.payload.permutation;
    const b = this.payload.bootstrap;
    const rows = [
      { field: 'target', value: this.target },
      { field: 'Sharpe (backtest)', value: f3(this.sharpe) },
      { field: 'trades', value: String(this.trades) },
    ];
    if (p !== null) {
      rows.push(
        { field: 'permutation p-value', value: `${f3(p.p_value)} (${p.exceed} of ${p.permutations} permuted ${p.metric} ≥ observed ${f3(p.observed)})` },
        { field: 'permutation null', value: `mean ${f3(p.null_mean)}, std ${f3(p.null_std)}; block length ${p.block_length} (${p.block_reason}); seed ${p.seed}` },
        // Rows stored before the statistic was recorded used the exposure statistic.
        { field: 'permutation statistic', value: ((p.statistic as string | undefined) ?? 'exposure_gross') === 'strategy_net' ? 'strategy_net: the backtest\'s own net returns (costs, sizing, stops), re-simulated on block-permuted bars' : 'exposure_gross: exposure × market return, close to close, before costs' },
      );
    }
    if (b !== null) {
      const lvl = `${Math.round(b.level * 100)}%`;
      rows.push(
        { field: `Sharpe ${lvl} CI`, value: `[${f3(b.sharpe.low)}, ${f3(b.sharpe.high)}] (estimate ${f3(b.sharpe.estimate)})` },
        { field: `CAGR ${lvl} CI`, value: `[${pct(b.cagr.low)}, ${pct(b.cagr.high)}] (estimate ${pct(b.cagr.estimate)})` },
        { field: 'bootstrap', value: `${b.method}${b.block_length === null ? '' : `, block length ${b.block_length} ± ${b.jitter ?? 0}`}${b.fallback ? ', fallback to simple' : ''} (${b.reason}); ${b.resamples} resamples of ${b.observations} returns; seed ${b.seed}` },
      );
    }
    rows.push({ field: 'validation', value: `${this.stored.id}${this.reused ? ' (already stored: same run_hash)' : ''}` });
    return rows;
  }

  [toMimeBundle](): DisplayOutput {
    return table(this.rows(), ['field', 'value'], `Validation of ${this.target}`);
  }
}

/** The result of `%walkforward` / `sq.walkforward`. */
export class WalkForwardView implements Displayable {
  constructor(
    readonly target: string,
    readonly result: WalkForwardResult,
    readonly payload: ValidationPayload,
    readonly stored: SidecarValidation,
    readonly reused: boolean,
  ) {}

  /** (IS Sharpe mean − OOS Sharpe mean) / |IS Sharpe mean|; null when IS is 0. */
  get degradation(): number | null {
    return this.result.degradation;
  }

  windowRows(): Record<string, unknown>[] {
    return this.result.windows.map((w) => ({
      window: w.window.index, train: `${day(w.window.train_start_ts)} → ${day(w.window.test_start_ts)}`, test: `${day(w.window.test_start_ts)} → ${day(w.window.test_end_ts)}`,
      winner: Object.entries(w.winner.params).map(([k, v]) => `${k}=${String(v)}`).join(' '), 'IS Sharpe': f3(w.in_sample.sharpe_ratio), 'OOS Sharpe': f3(w.out_of_sample.sharpe_ratio),
      'OOS return': pct(w.out_of_sample.total_return), 'OOS trades': w.out_of_sample.total_trades, degradation: pct(w.degradation),
    }));
  }

  summaryRows(): { field: string; value: string }[] {
    const r = this.result;
    return [
      { field: 'target', value: this.target },
      { field: 'windows', value: `${r.windows.length} ${r.mode} (train ${r.train}, test ${r.test}, step ${r.step})` },
      { field: 'IS Sharpe (mean)', value: f3(r.is_sharpe_mean) },
      { field: 'OOS Sharpe (mean of windows)', value: f3(r.oos_sharpe_mean) },
      { field: 'degradation', value: pct(r.degradation) },
      { field: 'stitched OOS', value: `Sharpe ${f3(r.out_of_sample.sharpe_ratio)}, CAGR ${pct(r.out_of_sample.cagr)}, return ${pct(r.out_of_sample.total_return)}, max drawdown ${pct(r.out_of_sample.max_drawdown)}, ${r.out_of_sample.bars} bars` },
      { field: 'validation', value: `${this.stored.id}${this.reused ? ' (already stored: same run_hash)' : ''}` },
    ];
  }

  figure(): PlotlyFigure {
    const s = this.result.stitched;
    const x: string[] = [];
    const y: number[] = [];
    const step = Math.max(1, Math.ceil(s.ts.length / 4000));
    for (let i = 0; i < s.ts.length; i += step) {
      x.push(new Date(s.ts[i] ?? 0).toISOString());
      y.push(s.equity[i] ?? Number.NaN);
    }
    const shapes = this.result.windows.map((w) => ({ type: 'line', xref: 'x', yref: 'paper', x0: new Date(w.window.test_start_ts).toISOString(), x1: new Date(w.window.test_start_ts).toISOString(), y0: 0, y1: 1, line: { color: '#ccc', width: 1, dash: 'dot' } }));
    return {
      data: [{ type: 'scatter', mode: 'lines', name: 'stitched out-of-sample equity', x, y }],
      layout: { title: { text: `Walk-forward (${this.result.mode}): stitched out-of-sample equity` }, xaxis: { type: 'date' }, yaxis: { title: { text: 'Equity' } }, shapes, height: 380 },
    };
  }

  parts(): DisplayOutput[] {
    return [table(this.summaryRows(), ['field', 'value'], `Walk-forward of ${this.target}`), table(this.windowRows(), undefined, 'Windows'), plot(this.figure())];
  }

  [toMimeBundle](): DisplayOutput {
    const s = table(this.summaryRows(), ['field', 'value'], `Walk-forward of ${this.target}`);
    const w = table(this.windowRows(), undefined, 'Windows');
    const fig = this.figure();
    return bundle({
      'text/plain': `${String(s.data['text/plain'])}\n\n${String(w.data['text/plain'])}`,
      'text/html': `${String(s.data['text/html'])}${String(w.data['text/html'])}`,
      'application/vnd.plotly.v1+json': { data: fig.data, layout: fig.layout ?? {}, config: {} },
    });
  }
}
