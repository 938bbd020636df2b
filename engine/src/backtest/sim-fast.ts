/**
 * The simulator's loop specialized for the commonest sweep configuration, metrics only:
 * every bar valid, no trading-hours mask, no stops, no time stop, fixed-fraction sizing, no
 * records. It is sim-core's `Sim.run` with those branches removed and `step`, `open`, `close`,
 * `ruin` and `markOpenAtEnd` inlined on local variables (no field traffic per event: a fast
 * moving-average crossover trades every few bars, and the per-event cost was ~200 ns).
 *
 * Same decisions, same arithmetic in the same order, so the same results bit for bit; a property
 * test (sim-fast.test.ts) runs both loops on random bars, signals and configurations and compares
 * every metric, status count, the final equity and the CSCV block sums with Object.is. It keeps no
 * per-bar return buffer: the accumulator streams every metric (SimOutcome.returns is undefined).
 * Signals come from a SignalSource (masks, or a crossover pair read lazily from its series). With
 * a `market` (sweeps), all-in long stretches are summed from prefix sums: then the Sharpe and
 * Sortino ratios and the block sums agree with the general loop to rounding only (also
 * property-tested, with derived tolerances); everything else stays bit-identical.
 */
import type { BacktestConfig } from './config.js';
import type { MarketPrefix } from './market.js';
import { MetricsAccumulator, type BlockSumsRequest } from './metrics.js';
import type { SignalSource } from './signals.js';
import { DAY, S_ORDER_BELOW_MIN, S_ORDER_EXPIRED, S_RUIN, S_SIZE_UNAVAILABLE, type Prepared, type SimBars, type SimOutcome } from './sim-core.js';

/** (entry bar, exit bar) per trade of the current run (durations are added at the end). */
let tradeBars = new Int32Array(256);

/** True when `runFast` gives the same result as the general loop (see the file comment). */
export function fastEligible(cfg: BacktestConfig, prep: Prepared): boolean {
  return prep.allValid && prep.hours === undefined && cfg.stopLoss <= 0 && cfg.takeProfit <= 0 && cfg.trailingStop <= 0 && cfg.timeStopBars === 0 && cfg.sizing.mode === 'fixed_fraction';
}

/**
 * Records a trade's bars; returns the new trade count. `runFast` reserved room for every trade a
 * run can have before its loop, so this never grows the buffer: growing it here was a branch the
 * short runs of a warm-up never took, and the first run with more than 128 trades made V8 throw
 * runFast's optimized code away and compile it again (~45 ms of compiler per thread).
 */
function pushTrade(trades: number, entryBar: number, exitBar: number): number {
  const k = 2 * trades;
  tradeBars[k] = entryBar;
  tradeBars[k + 1] = exitBar;
  return trades + 1;
}

/** Room in `tradeBars` for a run over n bars: at most one trade per bar (its entry bar), plus one. */
function reserveTrades(n: number): void {
  const need = 2 * (n + 1);
  if (tradeBars.length < need) tradeBars = new Int32Array(Math.max(need, 2 * tradeBars.length));
}

function countFlags(counts: Int32Array, flags: number): void {
  for (let b = 0; b < 7; b++) if ((flags & (1 << b)) !== 0) counts[b] = (counts[b] as number) + 1;
}

/**
 * Largest uninvested cash, relative to the position's value, for which a long stretch counts as
 * all in (its returns are the market's to within this: market.ts). An all-in fill leaves only
 * the rounding residue of its sizing arithmetic, some 1e-16 of the position.
 */
const ALL_IN_RESIDUE = 1e-12;

/**
 * Metrics-only run; the caller checked `fastEligible(cfg, prep)`. With `market` (the prefix sums
 * of bars.close, market.ts), all-in long stretches sum their returns in O(1) (their Σr, Σr²,
 * downside and block sums then equal the general loop's to rounding, not bit for bit; every
 * other metric, the trades, the drawdown and the final equity stay bit-identical).
 */
export function runFast(bars: SimBars, signals: SignalSource, cfg: BacktestConfig, prep: Prepared, blocks?: BlockSumsRequest, market?: MarketPrefix): SimOutcome {
  const { open: O, close: C, ts } = bars;
  const n = bars.length;
  reserveTrades(n);
  // No per-bar return buffer: every metric and block sum is streamed (metrics.ts).
  const acc = new MetricsAccumulator(cfg.initialCapital, null, blocks);
  const counts = new Int32Array(7);
  const nextOpen = cfg.fill === 'next_open';
  const side = cfg.direction === 'long' ? 1 : -1;
  const fee = cfg.commissionBps / 10_000;
  const slip = cfg.slippageBps / 10_000;
  const mult = cfg.contractMultiplier;
  const fixed = cfg.commissionFixed;
  const lot = cfg.lotSize;
  const minQty = cfg.minOrderQty;
  const minValue = cfg.minOrderValue;
  const fraction = cfg.sizing.mode === 'fixed_fraction' ? cfg.sizing.fraction : 0;
  let trades = 0;
  // Position state (Sim's fields).
  let cash = cfg.initialCapital;
  let inPos = false;
  let qty = 0;
  let entryPrice = 0;
  let entryComm = 0;
  let entryBar = -1;
  let ruined = false;
  // 0 none, 1 enter, 2 exit at the next bar's open; decided at pendingBar.
  let pending = 0;
  // Sim.run's locals.
  let pos = 0;
  let exposure = 0;
  let equity = cash;
  let lastClose = NaN;

  for (let t = 0; t < n; t++) {
    if (pending === 0) {
      // Jump to the next bar where something can happen and handle it below in the same
      // iteration (the general loop goes round once more and scans again: one scan and one
      // accumulator call per event saved, same decisions).
      if (pos === 0) {
        const next = ruined ? n : signals.nextEntry(t);
        if (next > t) {
          acc.addFlat(next - t, equity);
          // lastClose is not needed flat (the event bar sets it; nothing is open at the end).
          t = next;
          if (t >= n) break;
        }
      } else {
        const next = signals.nextExit(t);
        if (next > t) {
          const stop =
            market !== undefined && side === 1 && Math.abs(cash) <= ALL_IN_RESIDUE * exposure * lastClose
              ? acc.addHeldMarket(market, C, t, next, cash, exposure)
              : acc.addHeld(C, t, next, cash, exposure, null);
          if (stop > t) {
            lastClose = C[stop - 1] as number;
            equity = cash + exposure * lastClose;
            t = stop;
            if (t >= n) break;
          }
        }
      }
    }
    let flags = 0;
    const c = C[t] as number;
    lastClose = c;
    const entrySignal = signals.entryAt(t);
    const exitSignal = signals.exitAt(t);
    if (pending !== 0 || (pos !== 0 ? exitSignal : entrySignal)) {
      // Sim.step
      const p = pending;
      pending = 0;
      if (p === 2) {
        // Sim.close at reference price (O[t] as number) on bar t.
        const q = qty;
        const xp = (O[t] as number) * (1 - side * slip);
        const comm = q * xp * mult * fee + fixed;
        cash += side * q * xp * mult - comm;
        const pnl = side * q * mult * (xp - entryPrice) - entryComm - comm;
        acc.addTradeResult(pnl / (q * mult * entryPrice + entryComm), pnl);
        trades = pushTrade(trades, entryBar, t);
        inPos = false;
        qty = 0;
      }
      else if (p === 1) {
        // Sim.open (fixed fraction) at reference price (O[t] as number) on bar t.
        const fp = (O[t] as number) * (1 + side * slip);
        let q = (fraction * cash - fixed) / (fp * mult * (1 + fee));
        if (lot > 0) q = Math.floor(q / lot) * lot;
        if (!(fraction > 0)) flags |= S_SIZE_UNAVAILABLE;
        else if (!(q > 0) || q < minQty || q * fp * mult < minValue) flags |= S_ORDER_BELOW_MIN;
        else {
          const comm = q * fp * mult * fee + fixed;
          cash -= side * q * fp * mult + comm;
          inPos = true;
          qty = q;
          entryPrice = fp;
          entryComm = comm;
          entryBar = t;
        }
      }
      if (!ruined) {
        if (inPos) {
          if (exitSignal) {
            if (!nextOpen) {
              // Sim.close at reference price c on bar t.
              const q = qty;
              const xp = c * (1 - side * slip);
              const comm = q * xp * mult * fee + fixed;
              cash += side * q * xp * mult - comm;
              const pnl = side * q * mult * (xp - entryPrice) - entryComm - comm;
              acc.addTradeResult(pnl / (q * mult * entryPrice + entryComm), pnl);
              trades = pushTrade(trades, entryBar, t);
              inPos = false;
              qty = 0;
            }
            else if (t + 1 < n) pending = 2;
            else flags |= S_ORDER_EXPIRED;
          }
        } else if (entrySignal && !exitSignal) {
          if (!nextOpen) {
              // Sim.open (fixed fraction) at reference price c on bar t.
              const fp = c * (1 + side * slip);
              let q = (fraction * cash - fixed) / (fp * mult * (1 + fee));
              if (lot > 0) q = Math.floor(q / lot) * lot;
              if (!(fraction > 0)) flags |= S_SIZE_UNAVAILABLE;
              else if (!(q > 0) || q < minQty || q * fp * mult < minValue) flags |= S_ORDER_BELOW_MIN;
              else {
                const comm = q * fp * mult * fee + fixed;
                cash -= side * q * fp * mult + comm;
                inPos = true;
                qty = q;
                entryPrice = fp;
                entryComm = comm;
                entryBar = t;
              }
            }
          else if (t + 1 < n) pending = 1;
          else flags |= S_ORDER_EXPIRED;
        }
      }
      pos = inPos ? side * qty : 0;
      exposure = pos * mult;
    }
    equity = cash + exposure * c;
    if (equity <= 0 && !ruined) {
      // Sim.ruin
      if (inPos) {
        // Sim.close at reference price c on bar t.
        const q = qty;
        const xp = c * (1 - side * slip);
        const comm = q * xp * mult * fee + fixed;
        cash += side * q * xp * mult - comm;
        const pnl = side * q * mult * (xp - entryPrice) - entryComm - comm;
        acc.addTradeResult(pnl / (q * mult * entryPrice + entryComm), pnl);
        trades = pushTrade(trades, entryBar, t);
        inPos = false;
        qty = 0;
      }
      cash = 0;
      ruined = true;
      pending = 0;
      flags |= S_RUIN;
      pos = 0;
      exposure = 0;
      equity = 0;
    }
    acc.addEquity(equity, pos !== 0);
    if (flags !== 0) countFlags(counts, flags);
  }
  // Sim.markOpenAtEnd: a trade still open is marked at the last close, no exit costs.
  if (inPos && n > 0) {
    const q = qty;
    const pnl = side * q * mult * (lastClose - entryPrice) - entryComm;
    acc.addTradeResult(pnl / (q * mult * entryPrice + entryComm), pnl);
    trades = pushTrade(trades, entryBar, n - 1);
  }
  for (let k = 0; k < 2 * trades; k += 2) acc.addTradeDays(((ts[tradeBars[k + 1] as number] as number) - (ts[tradeBars[k] as number] as number)) / DAY);
  const metrics = acc.finish(prep.periodsPerYear);
  return { metrics, statusCounts: counts, finalEquity: equity };
}
