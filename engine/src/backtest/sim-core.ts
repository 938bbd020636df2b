/**
 * THE simulator's loop: one class for the full path (records everything) and the sweep fast path
 * (metrics only). `rec === null` turns recording off; the logic is the same code either way.
 * It never throws per bar: bad bars and skipped orders set status flags (records.ts).
 * simulate.ts is the entry point (and warms this code up).
 */
import type { Bars } from '../data/bars.js';
import type { BacktestConfig } from './config.js';
import { MetricsAccumulator, type BacktestMetrics, type BlockSumsRequest } from './metrics.js';
import { maskWords, nextOne } from './scan.js';
import { R_ENTRY, R_EXIT, R_RUIN, R_STOP, R_TAKE, R_TIME, R_TRAIL, type Recorder } from './records.js';

export type SimBars = Pick<Bars, 'ts' | 'open' | 'high' | 'low' | 'close' | 'length'>;

/** Per-(bars, config) precomputation a sweep can build once and reuse for every combination. */
export interface Prepared {
  readonly periodsPerYear: number;
  /** Entry mask from trading hours (undefined = always allowed). */
  readonly hours: Uint8Array | undefined;
  /** Annualized realized volatility per bar (volatility-target sizing only). */
  readonly vol: Float64Array | undefined;
  /**
   * True when every bar has finite, positive open/high/low/close: the loop then skips the
   * per-bar check and reads open/high/low only when something happens (less memory traffic).
   */
  readonly allValid: boolean;
}

export interface SimOutcome {
  readonly metrics: BacktestMetrics;
  /** Number of bars carrying each BAR_STATUS flag, by bit index (1, 2, 4, ... -> 0, 1, 2, ...). */
  readonly statusCounts: Int32Array;
  readonly finalEquity: number;
  /**
   * Per-bar returns r_t = E_t / E_{t-1} - 1 (E_{-1} = initial capital), one per bar: a VIEW of a
   * scratch buffer, valid until the next simulation (sweeps reduce it to CSCV block sums).
   */
  readonly returns?: Float64Array;
}

// BAR_STATUS flags as local constants (records.ts documents them; a test checks they match).
export const S_BAR_INVALID = 1;
export const S_ORDER_DEFERRED = 2;
export const S_ORDER_BELOW_MIN = 4;
export const S_SIZE_UNAVAILABLE = 8;
export const S_OUTSIDE_HOURS = 16;
export const S_ORDER_EXPIRED = 32;
export const S_RUIN = 64;

/** Per-bar return scratch for the metrics, reused across runs (one simulation at a time per thread). */
let returnScratch = new Float64Array(0);
/** (entry bar, exit bar) of each trade of the current run, for the durations added at the end. */
let tradeBars = new Int32Array(256);

/** The per-bar return scratch, at least `n` long (shared by both loops: one run at a time per thread). */
export function returnBuffer(n: number): Float64Array {
  if (returnScratch.length < n) returnScratch = new Float64Array(n);
  return returnScratch;
}

/** A bar the simulator can trade on: open/high/low/close finite and positive. */
export function validBar(o: number, h: number, l: number, c: number): boolean {
  return o > 0 && h > 0 && l > 0 && c > 0 && o + h + l + c < Infinity;
}

const NONE = 0;
const ENTER = 1;
const EXIT = 2;
export const DAY = 86_400_000;

export class Sim {
  // Numeric fields start as numbers (never undefined) so V8 keeps them as unboxed doubles.
  cash = 0;
  qty = 0;
  inPos = false;
  entryPrice = 0;
  entryComm = 0;
  entryBar = -1;
  enteredAtOpen = false;
  extreme = 0;
  pending = NONE;
  pendingReason = R_EXIT;
  pendingBar = -1;
  ruined = false;
  trades = 0;
  readonly nextOpen: boolean = true;
  readonly hasStops: boolean = false;
  readonly timeStop: number = 0;
  readonly acc: MetricsAccumulator;
  readonly side: number = 1;
  readonly fee: number = 0;
  readonly slip: number = 0;

  constructor(
    readonly bars: SimBars,
    readonly cfg: BacktestConfig,
    readonly prep: Prepared,
    readonly rec: Recorder | null,
  ) {
    this.cash = cfg.initialCapital;
    this.acc = new MetricsAccumulator(cfg.initialCapital, returnBuffer(bars.length));
    this.nextOpen = cfg.fill === 'next_open';
    this.hasStops = cfg.stopLoss > 0 || cfg.takeProfit > 0 || cfg.trailingStop > 0;
    this.timeStop = cfg.timeStopBars;
    this.side = cfg.direction === 'long' ? 1 : -1;
    this.fee = cfg.commissionBps / 10_000;
    this.slip = cfg.slippageBps / 10_000;
  }

  /** Fraction of equity for an entry decided at `signalBar`; 0 = none. */
  fraction(signalBar: number): number {
    const s = this.cfg.sizing;
    switch (s.mode) {
      case 'fixed_fraction':
        return s.fraction;
      case 'volatility_target': {
        const v = this.prep.vol?.[signalBar] ?? NaN;
        return v > 0 ? Math.min(s.maxFraction, s.targetVol / v) : 0;
      }
      case 'kelly': {
        const a = this.acc;
        const closed = a.closedTrades;
        if (closed < s.minTrades || closed === 0) return Math.min(s.cap, s.warmupFraction);
        const w = a.closedWins / closed;
        let k: number;
        if (a.closedWins === 0) k = 0;
        else if (a.closedLosses === 0) k = w;
        else k = w - (1 - w) / (a.winnerSum / a.closedWins / (-a.loserSum / a.closedLosses));
        return Math.min(s.cap, Math.max(0, s.multiplier * k));
      }
    }
  }

  /** Open at reference price `ref` on bar t; returns status flags (0 when filled). */
  open(t: number, ref: number, signalBar: number): number {
    const cfg = this.cfg;
    const f = this.fraction(signalBar);
    if (!(f > 0)) return S_SIZE_UNAVAILABLE;
    const side = this.side;
    const fp = ref * (1 + side * this.slip);
    const mult = cfg.contractMultiplier;
    let q = (f * this.cash - cfg.commissionFixed) / (fp * mult * (1 + this.fee));
    if (cfg.lotSize > 0) q = Math.floor(q / cfg.lotSize) * cfg.lotSize;
    if (!(q > 0) || q < cfg.minOrderQty || q * fp * mult < cfg.minOrderValue) {
      this.rec?.order(signalBar, side, q > 0 ? q : 0, R_ENTRY, 1);
      return S_ORDER_BELOW_MIN;
    }
    const comm = q * fp * mult * this.fee + cfg.commissionFixed;
    this.cash -= side * q * fp * mult + comm;
    this.inPos = true;
    this.qty = q;
    this.entryPrice = fp;
    this.entryComm = comm;
    this.entryBar = t;
    this.enteredAtOpen = t !== signalBar;
    this.extreme = ref;
    if (this.rec !== null) {
      const o = this.rec.order(signalBar, side, q, R_ENTRY, 0);
      this.rec.fill(o, t, fp, side * q, comm, q * mult * Math.abs(fp - ref));
    }
    return 0;
  }

  /** Close the position at reference price `ref` on bar t. */
  close(t: number, ref: number, reason: number, orderBar: number): void {
    const side = this.side;
    const q = this.qty;
    const mult = this.cfg.contractMultiplier;
    const xp = ref * (1 - side * this.slip);
    const comm = q * xp * mult * this.fee + this.cfg.commissionFixed;
    this.cash += side * q * xp * mult - comm;
    const pnl = side * q * mult * (xp - this.entryPrice) - this.entryComm - comm;
    const ret = pnl / (q * mult * this.entryPrice + this.entryComm);
    this.addTrade(ret, pnl, t);
    if (this.rec !== null) {
      const days = ((this.bars.ts[t] as number) - (this.bars.ts[this.entryBar] as number)) / DAY;
      const o = this.rec.order(orderBar, -side, q, reason, 0);
      this.rec.fill(o, t, xp, -side * q, comm, q * mult * Math.abs(xp - ref));
      this.rec.trade(this.entryBar, t, side, q, this.entryPrice, xp, pnl, ret, days, reason, false);
    }
    this.inPos = false;
    this.qty = 0;
  }

  /** Intrabar stop-loss / take-profit / trailing stop for bar t (gaps fill at the open). */
  stops(t: number, o: number, h: number, l: number): void {
    const cfg = this.cfg;
    const e = this.entryPrice;
    if (this.side === 1) {
      const sl = cfg.stopLoss > 0 ? e * (1 - cfg.stopLoss) : -Infinity;
      const tr = cfg.trailingStop > 0 ? this.extreme * (1 - cfg.trailingStop) : -Infinity;
      const stop = sl >= tr ? sl : tr;
      const why = sl >= tr ? R_STOP : R_TRAIL;
      const tp = cfg.takeProfit > 0 ? e * (1 + cfg.takeProfit) : Infinity;
      if (o <= stop) this.close(t, o, why, t);
      else if (o >= tp) this.close(t, o, R_TAKE, t);
      else if (l <= stop) this.close(t, stop, why, t);
      else if (h >= tp) this.close(t, tp, R_TAKE, t);
      else if (h > this.extreme) this.extreme = h;
    } else {
      const sl = cfg.stopLoss > 0 ? e * (1 + cfg.stopLoss) : Infinity;
      const tr = cfg.trailingStop > 0 ? this.extreme * (1 + cfg.trailingStop) : Infinity;
      const stop = sl <= tr ? sl : tr;
      const why = sl <= tr ? R_STOP : R_TRAIL;
      const tp = cfg.takeProfit > 0 ? e * (1 - cfg.takeProfit) : -Infinity;
      if (o >= stop) this.close(t, o, why, t);
      else if (o <= tp) this.close(t, o, R_TAKE, t);
      else if (h >= stop) this.close(t, stop, why, t);
      else if (l <= tp) this.close(t, tp, R_TAKE, t);
      else if (l < this.extreme) this.extreme = l;
    }
  }

  /** A trade still open after the last bar: marked at the last valid close, no exit costs. */
  markOpenAtEnd(n: number, lastClose: number): void {
    if (!this.inPos || n === 0) return;
    const q = this.qty;
    const mult = this.cfg.contractMultiplier;
    const pnl = this.side * q * mult * (lastClose - this.entryPrice) - this.entryComm;
    const ret = pnl / (q * mult * this.entryPrice + this.entryComm);
    this.addTrade(ret, pnl, n - 1);
    if (this.rec !== null) {
      const days = ((this.bars.ts[n - 1] as number) - (this.bars.ts[this.entryBar] as number)) / DAY;
      this.rec.trade(this.entryBar, n - 1, this.side, q, this.entryPrice, lastClose, pnl, ret, days, R_ENTRY, true);
    }
  }

  /** A trade's result now (Kelly sizing reads it), its duration at the end (`addTradeDays`). */
  private addTrade(ret: number, pnl: number, exitBar: number): void {
    this.acc.addTradeResult(ret, pnl);
    const k = 2 * this.trades++;
    if (k + 2 > tradeBars.length) {
      const grown = new Int32Array(tradeBars.length * 2);
      grown.set(tradeBars);
      tradeBars = grown;
    }
    tradeBars[k] = this.entryBar;
    tradeBars[k + 1] = exitBar;
  }

  /**
   * Trade durations in days, in trade order (the same float sum as adding each when its trade
   * closed): the timestamp reads are independent here, so their cache misses overlap.
   */
  private addTradeDays(): void {
    const ts = this.bars.ts;
    const acc = this.acc;
    const m = 2 * this.trades;
    for (let k = 0; k < m; k += 2) acc.addTradeDays(((ts[tradeBars[k + 1] as number] as number) - (ts[tradeBars[k] as number] as number)) / DAY);
  }

  /**
   * Everything that can happen at a valid bar when something is going on (a pending order, an
   * open position, or an entry signal): next-open fills, stops, the close decision.
   * Returns status flags.
   */
  step(t: number, c: number, entrySignal: boolean, exitSignal: boolean, n: number): number {
    let flags = 0;
    const o = this.bars.open[t] as number;
    const pending = this.pending;
    this.pending = NONE;
    if (pending === EXIT) this.close(t, o, this.pendingReason, this.pendingBar);
    else if (pending === ENTER) flags |= this.open(t, o, this.pendingBar);
    if (this.inPos && this.hasStops) this.stops(t, o, this.bars.high[t] as number, this.bars.low[t] as number);
    if (this.ruined) return flags;
    const nextOpen = this.nextOpen;
    if (this.inPos) {
      let reason = -1;
      if (exitSignal) reason = R_EXIT;
      else if (this.timeStop > 0 && t - this.entryBar + (this.enteredAtOpen ? 1 : 0) >= this.timeStop) reason = R_TIME;
      if (reason >= 0) {
        if (!nextOpen) {
          this.close(t, c, reason, t);
        } else if (t + 1 < n) {
          this.pending = EXIT;
          this.pendingReason = reason;
          this.pendingBar = t;
        } else {
          flags |= S_ORDER_EXPIRED;
          this.rec?.order(t, -this.side, this.qty, reason, 2);
        }
      }
    } else if (entrySignal && !exitSignal) {
      const hours = this.prep.hours;
      if (hours !== undefined && hours[t] !== 1) flags |= S_OUTSIDE_HOURS;
      else if (!nextOpen) flags |= this.open(t, c, t);
      else if (t + 1 < n) {
        this.pending = ENTER;
        this.pendingBar = t;
      } else {
        flags |= S_ORDER_EXPIRED;
        this.rec?.order(t, this.side, 0, R_ENTRY, 2);
      }
    }
    return flags;
  }

  /** Equity at or below zero: close what is open, stop trading. */
  ruin(t: number, c: number): number {
    if (this.inPos) this.close(t, c, R_RUIN, t);
    this.cash = 0;
    this.ruined = true;
    this.pending = NONE;
    return S_RUIN;
  }

  run(entry: Uint8Array, exit: Uint8Array, blocks?: BlockSumsRequest): SimOutcome {
    const { open: O, high: H, low: L, close: C } = this.bars;
    const checkBars = !this.prep.allValid;
    const n = this.bars.length;
    const rec = this.rec;
    const acc = this.acc;
    const counts = new Int32Array(7);
    // Hot state mirrored in locals; re-read from the fields after every event (step/ruin).
    let cash = this.cash;
    let pos = 0;
    // Signed quantity × contract multiplier: currency per point of price.
    let exposure = 0;
    const mult = this.cfg.contractMultiplier;
    let equity = cash;
    let lastClose = NaN;
    let pending = this.pending;
    // Holding with no stops and no time stop: only an exit signal can change anything.
    const simpleHold = !this.hasStops && this.timeStop === 0;
    const skipFlat = this.prep.allValid;
    const entryWords = maskWords(entry);
    const exitWords = maskWords(exit);
    if (blocks !== undefined) acc.setBlocks(blocks);

    for (let t = 0; t < n; t++) {
      if (skipFlat && pending === NONE) {
        // Every bar valid and nothing pending: jump over the stretch where nothing can happen.
        if (pos === 0) {
          // Flat: equity stays at cash until the next entry signal (after ruin: forever).
          const next = this.ruined ? n : nextOne(entry, entryWords, t);
          if (next > t) {
            acc.addFlat(next - t, equity);
            if (rec !== null) {
              rec.equity.fill(equity, t, next);
              rec.position.fill(0, t, next);
              rec.status.fill(0, t, next);
            }
            lastClose = C[next - 1] as number;
            t = next - 1;
            continue;
          }
        } else if (simpleHold) {
          // Holding, no stops, no time stop: equity follows the close until the next exit
          // signal; the accumulator stops early at a bar that would ruin (handled below).
          const next = nextOne(exit, exitWords, t);
          const stop = acc.addHeld(C, t, next, cash, exposure, rec === null ? null : rec.equity);
          if (stop > t) {
            if (rec !== null) {
              rec.position.fill(pos, t, stop);
              rec.status.fill(0, t, stop);
            }
            lastClose = C[stop - 1] as number;
            equity = cash + exposure * lastClose;
            t = stop - 1;
            continue;
          }
        }
      }
      let flags = 0;
      const c = C[t] as number;
      if (checkBars && !validBar(O[t] as number, H[t] as number, L[t] as number, c)) {
        flags = S_BAR_INVALID | (pending !== NONE ? S_ORDER_DEFERRED : 0);
      } else {
        lastClose = c;
        if (pending !== NONE || (pos !== 0 ? !simpleHold || exit[t] === 1 : entry[t] === 1)) {
          flags = this.step(t, c, entry[t] === 1, exit[t] === 1, n);
          cash = this.cash;
          pos = this.inPos ? this.side * this.qty : 0;
          exposure = pos * mult;
          pending = this.pending;
        }
        equity = cash + exposure * c;
        if (equity <= 0 && !this.ruined) {
          flags |= this.ruin(t, c);
          cash = 0;
          pos = 0;
          exposure = 0;
          equity = 0;
          pending = NONE;
        }
      }
      acc.addEquity(equity, pos !== 0);
      if (flags !== 0) {
        for (let b = 0; b < 7; b++) if ((flags & (1 << b)) !== 0) counts[b] = (counts[b] as number) + 1;
      }
      if (rec !== null) {
        rec.status[t] = flags;
        rec.equity[t] = equity;
        rec.position[t] = pos;
      }
    }
    if (rec !== null) rec.fillDrawdown(this.cfg.initialCapital);
    this.markOpenAtEnd(n, lastClose);
    this.addTradeDays();
    const metrics = acc.finish(this.prep.periodsPerYear);
    const returns = acc.returnsView();
    return returns === undefined ? { metrics, statusCounts: counts, finalEquity: equity } : { metrics, statusCounts: counts, finalEquity: equity, returns };
  }
}

