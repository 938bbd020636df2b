/**
 * The sanity backtest (REQUIREMENTS.md, "Packs"): before a pack is valid, every strategy is
 * backtested with the pack's own policies on real bars, which must cover at least one year; each
 * strategy must make at least 30 trades, and the default strategy must reach a Sharpe ratio of at
 * least 0.30 (another strategy below it is a warning, PACK_SANITY_WEAK_STRATEGY).
 *
 * "One year" is counted in bars: bars.length >= periods per year of the interval (the same
 * annualization as the metrics: 252 daily bars with the default calendar).
 * Pure: bars in, issues and results out.
 */
import { backtestMetrics, periodsPerYear, prepareBacktest, resolveBacktestConfig, type BacktestConfigInput } from '../backtest/index.js';
import type { Bars } from '../data/bars.js';
import { isSigmatiqError } from '../errors.js';
import { compileStrategy, ENGINE_INDICATORS, type IndicatorLookup } from '../strategy/index.js';
import { Collector } from './collector.js';
import type { SanityResult } from './report.js';
import { resolveStrategy } from './resolve.js';
import type { Pack } from './schema.js';
import type { SanityStep } from './validate.js';

export interface SanityThresholds {
  readonly min_years: number;
  readonly min_trades: number;
  readonly min_sharpe: number;
}

/** REQUIREMENTS.md: >= 1 year of data, >= 30 trades, Sharpe >= 0.30. */
export const SANITY_THRESHOLDS: SanityThresholds = { min_years: 1, min_trades: 30, min_sharpe: 0.3 };

export interface SanityOptions {
  readonly indicators?: IndicatorLookup;
  /** Stricter thresholds may be given; looser ones are refused (`PACK_SANITY_FAILED`). */
  readonly thresholds?: Partial<SanityThresholds>;
}

const round = (x: number, d = 6): number => Math.round(x * 10 ** d) / 10 ** d;

/**
 * The pack's backtest config, except Kelly sizing: the sanity run uses a fixed fraction equal to
 * the Kelly cap. Kelly sizes from the trades closed so far, so a strategy whose first trades lose
 * would size to 0 and stop trading; the check is about the rules (enough trades, Sharpe), and
 * Sharpe does not depend on a constant position size.
 */
export function sanityConfig(cfg: BacktestConfigInput): BacktestConfigInput {
  const s = cfg.sizing;
  return s?.mode === 'kelly' ? { ...cfg, sizing: { mode: 'fixed_fraction', fraction: s.cap } } : cfg;
}

/** A SanityStep over `bars` for `validatePack` / `validatePackYaml`. */
export function sanityStep(bars: Bars, opts: SanityOptions = {}): SanityStep {
  return (pack, source) => runSanity(pack, bars, opts, new Collector(source));
}

function runSanity(pack: Pack, bars: Bars, opts: SanityOptions, c: Collector): ReturnType<SanityStep> {
  const t: SanityThresholds = { ...SANITY_THRESHOLDS, ...opts.thresholds };
  const results: SanityResult[] = [];
  if (t.min_years < SANITY_THRESHOLDS.min_years || t.min_trades < SANITY_THRESHOLDS.min_trades || t.min_sharpe < SANITY_THRESHOLDS.min_sharpe) {
    c.add('PACK_SANITY_FAILED', [], `sanity thresholds may only be stricter than ${JSON.stringify(SANITY_THRESHOLDS)}`);
    return { issues: c.issues, results };
  }
  if (bars.length < 2) {
    c.add('PACK_SANITY_NO_DATA', [], `the sanity backtest needs bars; got ${bars.length}`);
    return { issues: c.issues, results };
  }
  if (!(pack.timeframes as readonly string[]).includes(bars.interval)) {
    c.add('PACK_SANITY_TIMEFRAME_MISMATCH', ['timeframes'], `the bars are ${bars.interval}, but the pack trades ${pack.timeframes.join(', ')}`);
    return { issues: c.issues, results };
  }
  const lookup = opts.indicators ?? ENGINE_INDICATORS;
  const ppy = periodsPerYear(bars.interval, { periodsPerYear: 0, tradingDaysPerYear: pack.calendar.trading_days_per_year, sessionMinutes: pack.calendar.session_minutes });
  const years = bars.length / ppy;
  if (years < t.min_years) {
    c.add('PACK_SANITY_SHORT_HISTORY', [], `${bars.symbol} ${bars.interval}: ${bars.length} bars = ${round(years, 3)} years (${round(ppy, 2)} bars a year); the sanity backtest needs at least ${t.min_years}`);
    return { issues: c.issues, results };
  }
  pack.strategies.forEach((s, i) => {
    const path = ['strategies', i];
    try {
      const r = resolveStrategy(pack, s.id, {}, lookup);
      const signals = compileStrategy({ entry: r.entry, exit: r.exit }, r.compile).evaluate({ bars, params: r.params });
      const cfg = resolveBacktestConfig(sanityConfig(r.backtest));
      const m = backtestMetrics(bars, signals.entry, signals.exit, cfg, prepareBacktest(bars, cfg));
      results.push({
        strategy: s.id,
        symbol: bars.symbol,
        interval: bars.interval,
        bars: bars.length,
        years: round(years, 4),
        total_trades: m.total_trades,
        sharpe_ratio: m.sharpe_ratio,
        max_drawdown: m.max_drawdown,
        total_return: m.total_return,
      });
      const where = `${s.id} on ${bars.symbol} ${bars.interval}`;
      if (m.total_trades < t.min_trades) {
        c.add('PACK_SANITY_FEW_TRADES', path, `${where}: ${m.total_trades} trades, the sanity backtest needs at least ${t.min_trades}`, { strategy: s.id });
      }
      if (!(m.sharpe_ratio >= t.min_sharpe)) {
        // The pack's sanity Sharpe is its default strategy's; a weaker alternative is a warning.
        const isDefault = s.id === pack.default_strategy;
        c.add(
          isDefault ? 'PACK_SANITY_LOW_SHARPE' : 'PACK_SANITY_WEAK_STRATEGY',
          path,
          `${where}: Sharpe ${round(m.sharpe_ratio, 3)}, ${isDefault ? 'the default strategy needs' : 'below'} at least ${t.min_sharpe}`,
          { strategy: s.id },
        );
      }
    } catch (e) {
      if (!isSigmatiqError(e)) throw e;
      c.add('PACK_SANITY_FAILED', path, `${s.id}: the sanity backtest could not run: ${e.toLine()}`, { strategy: s.id });
    }
  });
  return { issues: c.issues, results };
}
