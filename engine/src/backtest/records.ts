/** Columnar records of a full backtest run (the fast path records none of them). */

/** Per-bar status flags (bitmask in `BarRecords.status`); documented in docs/backtest.md. */
export const BAR_STATUS = {
  OK: 0,
  /** open/high/low/close not finite or not positive: no decision, no fill; equity carried. */
  BAR_INVALID: 1,
  /** A pending next-open order could not fill on this (invalid) bar and waits for the next valid one. */
  ORDER_DEFERRED: 2,
  /** An entry was skipped: quantity after lot rounding below lot / minOrderQty / minOrderValue, or no cash. */
  ORDER_BELOW_MIN: 4,
  /** An entry was skipped: sizing gave no positive fraction (volatility warm-up, Kelly ≤ 0). */
  SIZE_UNAVAILABLE: 8,
  /** An entry signal fell outside the allowed trading hours and was ignored. */
  OUTSIDE_HOURS: 16,
  /** A next-open order decided on the last bar: no bar left to fill it. */
  ORDER_EXPIRED: 32,
  /** Equity reached zero: the position was closed and trading stopped. */
  RUIN: 64,
} as const;

export type BarStatusName = keyof typeof BAR_STATUS;
export const BAR_STATUS_NAMES = Object.keys(BAR_STATUS).filter((k) => k !== 'OK') as Exclude<BarStatusName, 'OK'>[];

/** Why an order was placed (order/fill/trade `reason` codes). */
export const REASON = ['entry', 'exit_signal', 'stop_loss', 'take_profit', 'trailing_stop', 'time_stop', 'ruin'] as const;
export type Reason = (typeof REASON)[number];
export const R_ENTRY = 0;
export const R_EXIT = 1;
export const R_STOP = 2;
export const R_TAKE = 3;
export const R_TRAIL = 4;
export const R_TIME = 5;
export const R_RUIN = 6;

/** Order status codes. */
export const ORDER_STATUS = ['filled', 'rejected', 'expired'] as const;
export type OrderStatus = (typeof ORDER_STATUS)[number];

/** A growable float64 column (amortized doubling; only touched on events, never per bar). */
export class Column {
  private buf = new Float64Array(16);
  length = 0;
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
  set(i: number, v: number): void {
    this.buf[i] = v;
  }
  toArray(): Float64Array {
    return this.buf.slice(0, this.length);
  }
}

export interface BarRecords {
  readonly equity: Float64Array;
  /** Positive fraction below the running peak (initial capital counts as the first peak). */
  readonly drawdown: Float64Array;
  /** Signed quantity held at the bar's close. */
  readonly position: Float64Array;
  /** Bitmask of BAR_STATUS flags. */
  readonly status: Uint8Array;
}

export interface OrderRecords {
  /** Bar whose close made the decision (for stops: the bar the stop triggered in). */
  readonly bar: Float64Array;
  /** +1 buy, −1 sell. */
  readonly side: Float64Array;
  readonly qty: Float64Array;
  /** Index into REASON. */
  readonly reason: Float64Array;
  /** Index into ORDER_STATUS. */
  readonly status: Float64Array;
}

export interface FillRecords {
  readonly order: Float64Array;
  readonly bar: Float64Array;
  /** Price after slippage. */
  readonly price: Float64Array;
  /** Signed quantity (+ buy, − sell). */
  readonly qty: Float64Array;
  readonly commission: Float64Array;
  /** Slippage cost in currency: |qty| × |fill price − reference price|. */
  readonly slippage: Float64Array;
}

export interface TradeRecords {
  readonly entryBar: Float64Array;
  /** Exit bar; for a trade open at the end, the last bar (see `open`). */
  readonly exitBar: Float64Array;
  /** +1 long, −1 short. */
  readonly side: Float64Array;
  readonly qty: Float64Array;
  readonly entryPrice: Float64Array;
  /** Exit fill price; for an open trade, the last close. */
  readonly exitPrice: Float64Array;
  /** Net of commissions (slippage is inside the prices). */
  readonly pnl: Float64Array;
  /** pnl / (qty × entry price + entry commission). */
  readonly ret: Float64Array;
  readonly durationDays: Float64Array;
  /** Index into REASON (exit reason; `entry` for a trade still open at the end). */
  readonly exitReason: Float64Array;
  /** 1 when the trade was still open at the end (marked at the last close, no exit costs). */
  readonly open: Float64Array;
}

/** Where the simulator writes when recording (the full path); the fast path passes none. */
export class Recorder {
  readonly equity: Float64Array;
  readonly drawdown: Float64Array;
  readonly position: Float64Array;
  readonly status: Uint8Array;
  readonly orders = { bar: new Column(), side: new Column(), qty: new Column(), reason: new Column(), status: new Column() };
  readonly fills = { order: new Column(), bar: new Column(), price: new Column(), qty: new Column(), commission: new Column(), slippage: new Column() };
  readonly trades = {
    entryBar: new Column(),
    exitBar: new Column(),
    side: new Column(),
    qty: new Column(),
    entryPrice: new Column(),
    exitPrice: new Column(),
    pnl: new Column(),
    ret: new Column(),
    durationDays: new Column(),
    exitReason: new Column(),
    open: new Column(),
  };

  constructor(n: number) {
    this.equity = new Float64Array(n);
    this.drawdown = new Float64Array(n);
    this.position = new Float64Array(n);
    this.status = new Uint8Array(n);
  }

  /**
   * The drawdown record from the equity record, once after the run: (peak − equity) / peak below
   * the running peak (initial capital = first peak), else 0 — what MetricsAccumulator.drawdown()
   * gives after each bar, without a per-bar write in the simulator loop.
   */
  fillDrawdown(initial: number): void {
    const eq = this.equity;
    const dd = this.drawdown;
    let peak = initial;
    for (let t = 0; t < eq.length; t++) {
      const e = eq[t] as number;
      if (e >= peak) {
        peak = e;
        dd[t] = 0;
      } else {
        dd[t] = (peak - e) / peak;
      }
    }
  }

  order(bar: number, side: number, qty: number, reason: number, status: number): number {
    const o = this.orders;
    o.bar.push(bar);
    o.side.push(side);
    o.qty.push(qty);
    o.reason.push(reason);
    o.status.push(status);
    return o.bar.length - 1;
  }

  fill(order: number, bar: number, price: number, qty: number, commission: number, slippage: number): void {
    const f = this.fills;
    f.order.push(order);
    f.bar.push(bar);
    f.price.push(price);
    f.qty.push(qty);
    f.commission.push(commission);
    f.slippage.push(slippage);
  }

  trade(entryBar: number, exitBar: number, side: number, qty: number, entryPrice: number, exitPrice: number, pnl: number, ret: number, days: number, reason: number, open: boolean): void {
    const t = this.trades;
    t.entryBar.push(entryBar);
    t.exitBar.push(exitBar);
    t.side.push(side);
    t.qty.push(qty);
    t.entryPrice.push(entryPrice);
    t.exitPrice.push(exitPrice);
    t.pnl.push(pnl);
    t.ret.push(ret);
    t.durationDays.push(days);
    t.exitReason.push(reason);
    t.open.push(open ? 1 : 0);
  }

  bars(): BarRecords {
    return { equity: this.equity, drawdown: this.drawdown, position: this.position, status: this.status };
  }
}

type Cols<T> = { readonly [K in keyof T]: Column };
export function finishColumns<T>(cols: Cols<T>): { [K in keyof T]: Float64Array } {
  const out = {} as { [K in keyof T]: Float64Array };
  for (const k of Object.keys(cols) as (keyof T)[]) out[k] = cols[k].toArray();
  return out;
}
