/**
 * THE simulator: one loop for the full path (records everything) and the sweep fast path
 * (metrics only). `rec === null` turns recording off; the logic is the same code either way.
 * It never throws per bar: bad bars and skipped orders set status flags (records.ts).
 */
import type { Bars } from '../data/bars.js';
import type { BacktestConfig } from './config.js';
import { MetricsAccumulator, type BacktestMetrics } from './metrics.js';
import { BAR_STATUS, R_ENTRY, R_EXIT, R_RUIN, R_STOP, R_TAKE, R_TIME, R_TRAIL, type Recorder } from './records.js';

export type SimBars = Pick<Bars, 'ts' | 'open' | 'high' | 'low' | 'close' | 'length'>;

/** Per-(bars, config) precomputation a sweep can build once and reuse for every combination. */
export interface Prepared {
  readonly periodsPerYear: number;
  /** Entry mask from trading hours (undefined = always allowed). */
  readonly hours: Uint8Array | undefined;
  /** Annualized realized volatility per bar (volatility-target sizing only). */
  readonly vol: Float64Array | undefined;
}

export interface SimOutcome {
  readonly metrics: BacktestMetrics;
  /** Number of bars carrying each BAR_STATUS flag, by bit index (1, 2, 4, ... -> 0, 1, 2, ...). */
  readonly statusCounts: Int32Array;
  readonly finalEquity: number;
}

const NONE = 0;
const ENTER = 1;
const EXIT = 2;
const DAY = 86_400_000;

class Sim {
  cash: number;
  qty = 0;
  inPos = false;
  entryPrice = 0;
  entryComm = 0;
  entryBar = -1;
  enteredAtOpen = false;
  extreme = 0;
  readonly acc: MetricsAccumulator;
  readonly side: number;
  readonly fee: number;
  readonly slip: number;

  constructor(
    readonly bars: SimBars,
    readonly cfg: BacktestConfig,
    readonly prep: Prepared,
    readonly rec: Recorder | null,
  ) {
    this.cash = cfg.initialCapital;
    this.acc = new MetricsAccumulator(cfg.initialCapital);
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
    if (!(f > 0)) return BAR_STATUS.SIZE_UNAVAILABLE;
    const side = this.side;
    const fp = ref * (1 + side * this.slip);
    let q = (f * this.cash - cfg.commissionFixed) / (fp * (1 + this.fee));
    if (cfg.lotSize > 0) q = Math.floor(q / cfg.lotSize) * cfg.lotSize;
    if (!(q > 0) || q < cfg.minOrderQty || q * fp < cfg.minOrderValue) {
      this.rec?.order(signalBar, side, q > 0 ? q : 0, R_ENTRY, 1);
      return BAR_STATUS.ORDER_BELOW_MIN;
    }
    const comm = q * fp * this.fee + cfg.commissionFixed;
    this.cash -= side * q * fp + comm;
    this.inPos = true;
    this.qty = q;
    this.entryPrice = fp;
    this.entryComm = comm;
    this.entryBar = t;
    this.enteredAtOpen = t !== signalBar;
    this.extreme = ref;
    if (this.rec !== null) {
      const o = this.rec.order(signalBar, side, q, R_ENTRY, 0);
      this.rec.fill(o, t, fp, side * q, comm, q * Math.abs(fp - ref));
    }
    return 0;
  }

  /** Close the position at reference price `ref` on bar t. */
  close(t: number, ref: number, reason: number, orderBar: number): void {
    const side = this.side;
    const q = this.qty;
    const xp = ref * (1 - side * this.slip);
    const comm = q * xp * this.fee + this.cfg.commissionFixed;
    this.cash += side * q * xp - comm;
    const pnl = side * q * (xp - this.entryPrice) - this.entryComm - comm;
    const ret = pnl / (q * this.entryPrice + this.entryComm);
    const days = ((this.bars.ts[t] as number) - (this.bars.ts[this.entryBar] as number)) / DAY;
    this.acc.addTrade(ret, pnl, days);
    if (this.rec !== null) {
      const o = this.rec.order(orderBar, -side, q, reason, 0);
      this.rec.fill(o, t, xp, -side * q, comm, q * Math.abs(xp - ref));
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

  run(entry: Uint8Array, exit: Uint8Array): SimOutcome {
    const { open: O, high: H, low: L, close: C } = this.bars;
    const n = this.bars.length;
    const cfg = this.cfg;
    const rec = this.rec;
    const acc = this.acc;
    const hours = this.prep.hours;
    const nextOpen = cfg.fill === 'next_open';
    const hasStops = cfg.stopLoss > 0 || cfg.takeProfit > 0 || cfg.trailingStop > 0;
    const timeStop = cfg.timeStopBars;
    const counts = new Int32Array(7);
    let pending = NONE;
    let pendingReason = R_EXIT;
    let pendingBar = -1;
    let ruined = false;
    let equity = cfg.initialCapital;
    let lastClose = NaN;

    for (let t = 0; t < n; t++) {
      let flags = 0;
      const o = O[t] as number;
      const h = H[t] as number;
      const l = L[t] as number;
      const c = C[t] as number;
      if (!(o > 0 && h > 0 && l > 0 && c > 0 && o < Infinity && h < Infinity && l < Infinity && c < Infinity)) {
        flags = BAR_STATUS.BAR_INVALID | (pending !== NONE ? BAR_STATUS.ORDER_DEFERRED : 0);
      } else {
        lastClose = c;
        if (pending === EXIT) this.close(t, o, pendingReason, pendingBar);
        else if (pending === ENTER) flags |= this.open(t, o, pendingBar);
        pending = NONE;
        if (hasStops && this.inPos) this.stops(t, o, h, l);
        if (!ruined) {
          if (this.inPos) {
            let reason = -1;
            if (exit[t] === 1) reason = R_EXIT;
            else if (timeStop > 0 && t - this.entryBar + (this.enteredAtOpen ? 1 : 0) >= timeStop) reason = R_TIME;
            if (reason >= 0) {
              if (!nextOpen) {
                this.close(t, c, reason, t);
              } else if (t + 1 < n) {
                pending = EXIT;
                pendingReason = reason;
                pendingBar = t;
              } else {
                flags |= BAR_STATUS.ORDER_EXPIRED;
                rec?.order(t, -this.side, this.qty, reason, 2);
              }
            }
          } else if (entry[t] === 1 && exit[t] !== 1) {
            if (hours !== undefined && hours[t] !== 1) flags |= BAR_STATUS.OUTSIDE_HOURS;
            else if (!nextOpen) flags |= this.open(t, c, t);
            else if (t + 1 < n) {
              pending = ENTER;
              pendingBar = t;
            } else {
              flags |= BAR_STATUS.ORDER_EXPIRED;
              rec?.order(t, this.side, 0, R_ENTRY, 2);
            }
          }
        }
        equity = this.cash + this.side * this.qty * c;
        if (equity <= 0 && !ruined) {
          if (this.inPos) this.close(t, c, R_RUIN, t);
          this.cash = 0;
          equity = 0;
          ruined = true;
          pending = NONE;
          flags |= BAR_STATUS.RUIN;
        }
      }
      const dd = acc.addEquity(equity, this.inPos);
      if (flags !== 0) {
        for (let b = 0; b < 7; b++) if ((flags & (1 << b)) !== 0) counts[b] = (counts[b] as number) + 1;
      }
      if (rec !== null) {
        rec.equity[t] = equity;
        rec.drawdown[t] = dd;
        rec.position[t] = this.side * this.qty;
        rec.status[t] = flags;
      }
    }
    if (this.inPos && n > 0) {
      // Open at the end: marked at the last valid close, no exit costs.
      const q = this.qty;
      const pnl = this.side * q * (lastClose - this.entryPrice) - this.entryComm;
      const ret = pnl / (q * this.entryPrice + this.entryComm);
      const days = ((this.bars.ts[n - 1] as number) - (this.bars.ts[this.entryBar] as number)) / DAY;
      acc.addTrade(ret, pnl, days);
      rec?.trade(this.entryBar, n - 1, this.side, q, this.entryPrice, lastClose, pnl, ret, days, R_ENTRY, true);
    }
    return { metrics: acc.finish(this.prep.periodsPerYear), statusCounts: counts, finalEquity: equity };
  }
}

/** Run the one simulator. Signals: 1 = rule true at that bar's close. */
export function simulate(bars: SimBars, entry: Uint8Array, exit: Uint8Array, cfg: BacktestConfig, prep: Prepared, rec: Recorder | null): SimOutcome {
  return new Sim(bars, cfg, prep, rec).run(entry, exit);
}
