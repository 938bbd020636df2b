import { describe, expect, it } from 'vitest';
import { parseInstrument } from '../instruments/index.js';
import { instrumentSettings, resolveBacktestConfig } from './config.js';
import { prepareBacktest } from './run.js';
import { simulate, simulateGeneral } from './simulate.js';
import { REASON } from './records.js';
import { runBacktest } from './run.js';
import { FREE, flat, ohlc, u8 } from './fixtures.test-util.js';

const BARS = ohlc([
  [10, 11, 9, 10],
  [10, 12, 10, 11],
  [12, 13, 11, 12],
  [12, 12, 10, 11],
  [11, 14, 11, 13],
]);
const reasons = (r: Float64Array): string[] => Array.from(r, (i) => REASON[i] ?? '?');

describe('fill modes (zero costs, hand-checked)', () => {
  const signals = { entry: u8([0, 1, 0, 0, 0]), exit: u8([0, 0, 0, 1, 0]) };

  it('next_open: decided at t close, filled at t+1 open', () => {
    const r = runBacktest(BARS, signals, { ...FREE });
    // buy at open[2] = 12, qty = 1000 / 12; sell at open[4] = 11
    expect(Array.from(r.fills.bar)).toEqual([2, 4]);
    expect(Array.from(r.fills.price)).toEqual([12, 11]);
    expect(r.trades.ret[0]).toBeCloseTo(11 / 12 - 1, 14);
    // equity: 1000, 1000, q*12 = 1000, q*11 = 916.67, cash 916.67
    const q = 1000 / 12;
    expect(Array.from(r.bars.equity)).toEqual([1000, 1000, q * 12, q * 11, q * 11]);
    expect(Array.from(r.bars.position)).toEqual([0, 0, q, q, 0]);
    expect(Array.from(r.orders.bar)).toEqual([1, 3]); // decision bars
    expect(r.metrics.total_trades).toBe(1);
  });

  it('close: decided and filled at t close', () => {
    const r = runBacktest(BARS, signals, { ...FREE, fill: 'close' });
    // buy at close[1] = 11, sell at close[3] = 11
    expect(Array.from(r.fills.bar)).toEqual([1, 3]);
    expect(Array.from(r.fills.price)).toEqual([11, 11]);
    const q = 1000 / 11;
    expect(Array.from(r.bars.equity)).toEqual([1000, 1000, q * 12, q * 11, q * 11]);
    expect(r.trades.ret[0]).toBe(0);
    expect(r.trades.durationDays[0]).toBe(2);
  });

  it('position is a state: a rule true from the first bar enters there; open-at-end trades count', () => {
    const all = { entry: u8([1, 1, 1, 1, 1]), exit: u8([0, 0, 0, 0, 0]) };
    const c = runBacktest(BARS, all, { ...FREE, fill: 'close' });
    expect(Array.from(c.fills.bar)).toEqual([0]);
    // open at end, marked at last close: 13 / 10 - 1
    expect(c.trades.open[0]).toBe(1);
    expect(c.trades.ret[0]).toBeCloseTo(0.3, 14);
    expect(c.metrics.total_trades).toBe(1);
    expect(c.metrics.win_rate).toBe(1);
    expect(c.metrics.exposure).toBe(1);
    const o = runBacktest(BARS, all, { ...FREE });
    expect(Array.from(o.fills.bar)).toEqual([1]);
    expect(o.metrics.total_return).toBeCloseTo(13 / 10 - 1, 14);
    // the last bar's entry decision has no bar to fill: not an error, just no order
    expect(o.status.ORDER_EXPIRED).toBe(0);
  });

  it('entry and exit both true: exit wins (stay flat); re-enters after an exit when entry is still true', () => {
    const both = runBacktest(BARS, { entry: u8([1, 1, 1, 1, 1]), exit: u8([1, 1, 1, 1, 1]) }, { ...FREE });
    expect(both.metrics.total_trades).toBe(0);
    const re = runBacktest(BARS, { entry: u8([1, 1, 1, 1, 1]), exit: u8([0, 1, 0, 0, 0]) }, { ...FREE, fill: 'close' });
    // in at close 0, out at close 1, back in at close 2 (not on the exit bar itself)
    expect(Array.from(re.fills.bar)).toEqual([0, 1, 2]);
  });

  it('an order decided on the last bar expires (status ORDER_EXPIRED)', () => {
    const r = runBacktest(BARS, { entry: u8([0, 0, 0, 0, 1]), exit: u8([0, 0, 0, 0, 0]) }, { ...FREE });
    expect(r.status.ORDER_EXPIRED).toBe(1);
    expect(r.bars.status[4]).toBe(32);
    expect(Array.from(r.orders.status)).toEqual([2]);
  });
});

describe('costs (hand-checked)', () => {
  it('commission bps + fixed per fill + slippage bps', () => {
    const signals = { entry: u8([0, 1, 0, 0, 0]), exit: u8([0, 0, 0, 1, 0]) };
    const r = runBacktest(BARS, signals, { initialCapital: 1000, commissionBps: 10, commissionFixed: 1, slippageBps: 100, fill: 'close' });
    // entry: reference 11, buy fill = 11 * 1.01 = 11.11; q = (1000 - 1) / (11.11 * 1.001)
    const fp = 11 * 1.01;
    const q = (1000 - 1) / (fp * 1.001);
    const c1 = q * fp * 0.001 + 1;
    expect(r.fills.price[0]).toBeCloseTo(fp, 12);
    expect(r.fills.qty[0]).toBeCloseTo(q, 10);
    expect(r.fills.commission[0]).toBeCloseTo(c1, 10);
    expect(r.fills.slippage[0]).toBeCloseTo(q * 0.11, 10);
    // all in: cash after entry = 1000 - q*fp - c1 = 0
    expect(1000 - q * fp - c1).toBeCloseTo(0, 9);
    // exit: reference 11, sell fill = 11 * 0.99 = 10.89, commission q*10.89*0.001 + 1
    const xp = 11 * 0.99;
    const c2 = q * xp * 0.001 + 1;
    const final = q * xp - c2;
    expect(r.finalEquity).toBeCloseTo(final, 9);
    // trade return = pnl / (q*fp + c1) = (final - 1000) / 1000
    expect(r.trades.ret[0]).toBeCloseTo(final / 1000 - 1, 12);
    expect(r.trades.pnl[0]).toBeCloseTo(final - 1000, 9);
    // defaults: costs are on
    const d = runBacktest(BARS, signals, { initialCapital: 1000, fill: 'close' });
    expect(d.metrics.total_return).toBeLessThan(0);
    expect(d.config.commissionBps).toBe(1);
    expect(d.config.slippageBps).toBe(2);
    expect(d.config.commissionFixed).toBe(1);
  });
});

describe('short positions', () => {
  it('profit when price falls, loss when it rises (zero costs)', () => {
    const r = runBacktest(BARS, { entry: u8([0, 1, 0, 0, 0]), exit: u8([0, 0, 0, 0, 1]) }, { ...FREE, fill: 'close', direction: 'short' });
    // sell q = 1000/11 at 11; exit at 13: equity = 1000 + q*11 - q*13 = 818.18
    const q = 1000 / 11;
    expect(r.finalEquity).toBeCloseTo(1000 - q * 2, 10);
    expect(r.trades.ret[0]).toBeCloseTo((11 - 13) / 11, 14);
    expect(r.trades.side[0]).toBe(-1);
    expect(r.bars.position[2]).toBeCloseTo(-q, 12);
  });

  it('ruin: equity at or below zero closes the position and stops trading', () => {
    const b = flat([10, 10, 25, 30, 10]);
    const r = runBacktest(b, { entry: u8([1, 1, 1, 1, 1]), exit: u8([0, 0, 0, 0, 0]) }, { ...FREE, fill: 'close', direction: 'short' });
    // short 100 at 10; at 25 equity = 2000 - 2500 < 0 -> RUIN
    expect(r.status.RUIN).toBe(1);
    expect(Array.from(r.bars.equity)).toEqual([1000, 1000, 0, 0, 0]);
    expect(reasons(r.trades.exitReason)).toEqual(['ruin']);
    expect(r.metrics.total_return).toBe(-1);
  });
});

describe('stops (close fill, zero costs, entry at close 10 on bar 0)', () => {
  const enter = { entry: u8([1, 0, 0, 0]), exit: u8([0, 0, 0, 0]) };
  const run = (bar2: readonly [number, number, number, number], cfg: Record<string, number>) =>
    runBacktest(ohlc([[10, 10, 10, 10], [10, 10.5, 9.8, 10], bar2, [10, 10, 10, 10]]), enter, { ...FREE, fill: 'close', ...cfg });

  it('stop-loss at the level; gap through it fills at the open', () => {
    const r = run([10, 10.2, 9.4, 9.6], { stopLoss: 0.05 });
    expect(r.trades.exitPrice[0]).toBe(9.5);
    expect(reasons(r.trades.exitReason)).toEqual(['stop_loss']);
    expect(r.trades.exitBar[0]).toBe(2);
    const g = run([9, 9.2, 8.8, 9], { stopLoss: 0.05 });
    expect(g.trades.exitPrice[0]).toBe(9);
  });

  it('take-profit; stop first when both are touched inside one bar', () => {
    expect(run([10, 11.5, 9.9, 11.2], { takeProfit: 0.1 }).trades.exitPrice[0]).toBeCloseTo(11, 12);
    const both = run([10, 11.5, 9.4, 10], { takeProfit: 0.1, stopLoss: 0.05 });
    expect(reasons(both.trades.exitReason)).toEqual(['stop_loss']);
  });

  it('trailing stop follows the highest high of earlier bars', () => {
    const b = ohlc([[10, 10, 10, 10], [10, 12, 10, 11.5], [11.5, 11.6, 10.7, 11], [11, 11, 11, 11]]);
    const r = runBacktest(b, enter, { ...FREE, fill: 'close', trailingStop: 0.1 });
    // peak after bar 1 = 12 -> level 10.8; bar 2 low 10.7 -> exit at 10.8
    expect(r.trades.exitPrice[0]).toBeCloseTo(10.8, 12);
    expect(reasons(r.trades.exitReason)).toEqual(['trailing_stop']);
  });

  it('next_open entries are protected from their fill bar on', () => {
    const b = ohlc([[10, 10, 10, 10], [10, 10.2, 9.4, 9.6], [10, 10, 10, 10]]);
    const r = runBacktest(b, { entry: u8([1, 0, 0]), exit: u8([0, 0, 0]) }, { ...FREE, stopLoss: 0.05 });
    expect(Array.from(r.fills.bar)).toEqual([1, 1]);
    expect(r.trades.exitPrice[0]).toBe(9.5);
  });

  it('time stop counts bars held', () => {
    const b = flat([10, 10, 10, 10, 10, 10]);
    const sig = { entry: u8([1, 0, 0, 0, 0, 0]), exit: u8([0, 0, 0, 0, 0, 0]) };
    // close fill: in at close 0, held 2 bars at close 2 -> out at close 2
    const c = runBacktest(b, sig, { ...FREE, fill: 'close', timeStopBars: 2 });
    expect(Array.from(c.fills.bar)).toEqual([0, 2]);
    expect(reasons(c.trades.exitReason)).toEqual(['time_stop']);
    // next_open: in at open 1, held bars 1 and 2 -> decided at close 2 -> out at open 3
    const o = runBacktest(b, sig, { ...FREE, timeStopBars: 2 });
    expect(Array.from(o.fills.bar)).toEqual([1, 3]);
  });
});

describe('sizing', () => {
  const sig = { entry: u8([0, 1, 0, 0, 0]), exit: u8([0, 0, 0, 1, 0]) };

  it('fixed fraction', () => {
    const r = runBacktest(BARS, sig, { ...FREE, fill: 'close', sizing: { mode: 'fixed_fraction', fraction: 0.5 } });
    const q = 500 / 11;
    expect(r.fills.qty[0]).toBeCloseTo(q, 12);
    expect(r.bars.equity[2]).toBeCloseTo(500 + q * 12, 10);
  });

  it('volatility target uses realized vol up to the signal bar', () => {
    const closes = [100, 101, 99, 102, 100, 103, 101, 104, 102, 105];
    const b = flat(closes);
    const entry = u8([0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    const r = runBacktest(b, { entry, exit: u8(Array(10).fill(0)) }, { ...FREE, fill: 'close', sizing: { mode: 'volatility_target', targetVol: 0.1, lookback: 4, maxFraction: 2 } });
    // oracle: std (ddof 1) of the 4 log returns ending at bar 5, × sqrt(252)
    const lr = [2, 3, 4, 5].map((i) => Math.log((closes[i] as number) / (closes[i - 1] as number)));
    const m = lr.reduce((a, x) => a + x, 0) / 4;
    const vol = Math.sqrt(lr.reduce((a, x) => a + (x - m) ** 2, 0) / 3) * Math.sqrt(252);
    const f = Math.min(2, 0.1 / vol);
    expect(r.fills.qty[0]).toBeCloseTo((f * 1000) / 103, 10);
    // before the window is full there is no size: an entry at bar 2 is skipped with a status
    const early = runBacktest(b, { entry: u8([0, 0, 1, 0, 0, 0, 0, 0, 0, 0]), exit: u8(Array(10).fill(0)) }, { ...FREE, fill: 'close', sizing: { mode: 'volatility_target', targetVol: 0.1, lookback: 4, maxFraction: 2 } });
    expect(early.metrics.total_trades).toBe(0);
    expect(early.status.SIZE_UNAVAILABLE).toBe(1);
  });

  it('kelly fraction with cap and warm-up', () => {
    const b = flat([10, 11, 10, 9.5, 10, 10]);
    const r = runBacktest(b, { entry: u8([1, 0, 1, 0, 1, 0]), exit: u8([0, 1, 0, 1, 0, 0]) }, { ...FREE, fill: 'close', sizing: { mode: 'kelly', multiplier: 1, cap: 0.3, minTrades: 2, warmupFraction: 0.5 } });
    // trade 1: warm-up, min(cap 0.3, 0.5) = 0.3 -> q = 300/10 = 30; +10 % -> cash 1030
    // trade 2: still warm-up (1 closed) -> q = 0.3*1030/10 = 30.9; -5 % -> pnl -15.45 -> cash 1014.55
    // trade 3: W = 0.5, R = 0.10/0.05 = 2, K = 0.5 - 0.5/2 = 0.25 -> q = 0.25*1014.55/10 = 25.36375
    expect(Array.from(r.trades.qty).map((x) => Number(x.toFixed(6)))).toEqual([30, 30.9, 25.36375]);
  });
});

describe('per-bar returns (SimOutcome.returns)', () => {
  it('are E_t / E_{t-1} - 1 from the initial capital on the general loop; the metrics-only fast path keeps none', () => {
    const signals = { entry: u8([0, 1, 0, 0, 0]), exit: u8([0, 0, 0, 1, 0]) };
    const full = runBacktest(BARS, signals, { ...FREE, fill: 'close' });
    const cfg = resolveBacktestConfig({ ...FREE, fill: 'close' });
    const prep = prepareBacktest(BARS, cfg);
    const out = simulateGeneral(BARS, signals.entry, signals.exit, cfg, prep, null);
    // oracle: the recorded equity curve, 1000 before bar 0
    const eq = [1000, ...Array.from(full.bars.equity)];
    expect(Array.from(out.returns ?? [])).toEqual(eq.slice(1).map((e, i) => (e === eq[i] ? 0 : e / (eq[i] as number) - 1)));
    expect(out.returns?.length).toBe(5);
    // The fast path streams its metrics: no per-bar buffer, the same metrics.
    const fast = simulate(BARS, signals.entry, signals.exit, cfg, prep, null);
    expect(fast.returns).toBeUndefined();
    expect(fast.metrics).toStrictEqual(out.metrics);
  });
});

describe('instruments', () => {
  it('futures: whole contracts, P&L times the multiplier', () => {
    const fut = parseInstrument({ kind: 'future', symbol: 'FESXH6', contractCode: 'FESX', multiplier: 50, tickSize: 1 });
    const settings = instrumentSettings(fut);
    expect(settings).toEqual({ lotSize: 1, minOrderQty: 1, contractMultiplier: 50 });
    const r = runBacktest(BARS, { entry: u8([0, 1, 0, 0, 0]), exit: u8([0, 0, 0, 0, 1]) }, { ...FREE, ...settings, fill: 'close' });
    // 1000 / (11 * 50) = 1.8 -> 1 contract; cash 1000 - 550 = 450
    expect(r.fills.qty[0]).toBe(1);
    expect(r.bars.equity[2]).toBe(450 + 50 * 12); // 1050
    // exit at close 13: pnl = 50 * (13 - 11) = 100, return = 100 / 550
    expect(r.trades.pnl[0]).toBe(100);
    expect(r.trades.ret[0]).toBeCloseTo(100 / 550, 14);
    expect(r.finalEquity).toBe(1100);
  });
});

describe('orders and hours', () => {
  it('lot size and minimum order size', () => {
    const sig = { entry: u8([0, 1, 0, 0, 0]), exit: u8([0, 0, 0, 1, 0]) };
    const lots = runBacktest(BARS, sig, { ...FREE, fill: 'close', lotSize: 10 });
    expect(lots.fills.qty[0]).toBe(90); // floor(90.9 / 10) * 10
    const none = runBacktest(BARS, sig, { ...FREE, fill: 'close', lotSize: 100 });
    expect(none.metrics.total_trades).toBe(0);
    expect(none.status.ORDER_BELOW_MIN).toBe(1);
    expect(Array.from(none.orders.status)).toEqual([1]);
    const minVal = runBacktest(BARS, sig, { ...FREE, fill: 'close', minOrderValue: 5000 });
    expect(minVal.status.ORDER_BELOW_MIN).toBe(1);
  });

  it('entries only inside UTC trading windows; exits any time', () => {
    // hourly bars from 08:00 UTC
    const b = ohlc([[10, 10, 10, 10], [10, 10, 10, 10], [10, 10, 10, 10], [10, 10, 10, 10], [10, 10, 10, 10]], '1h', 3_600_000, 8 * 3_600_000);
    const r = runBacktest(b, { entry: u8([1, 1, 1, 1, 1]), exit: u8([0, 0, 0, 0, 0]) }, { ...FREE, fill: 'close', tradingHours: [{ start: '10:00', end: '11:00' }] });
    expect(Array.from(r.fills.bar)).toEqual([2]);
    expect(r.status.OUTSIDE_HOURS).toBe(2);
    // wrap-around window 23:00-09:00 allows 08:00 only
    const w = runBacktest(b, { entry: u8([1, 1, 1, 1, 1]), exit: u8([0, 0, 0, 0, 0]) }, { ...FREE, fill: 'close', tradingHours: [{ start: '23:00', end: '09:00' }] });
    expect(Array.from(w.fills.bar)).toEqual([0]);
  });
});

describe('bad bars never throw', () => {
  it('NaN / non-positive bars are flagged, equity carried, pending orders deferred', () => {
    const b = ohlc([[10, 10, 10, 10], [NaN, NaN, NaN, NaN], [0, 11, 9, 10], [12, 12, 12, 12], [13, 13, 13, 13]]);
    const r = runBacktest(b, { entry: u8([1, 0, 0, 0, 0]), exit: u8([0, 0, 0, 0, 0]) }, { ...FREE });
    expect(Array.from(r.bars.status)).toEqual([0, 1 | 2, 1 | 2, 0, 0]);
    expect(r.status.BAR_INVALID).toBe(2);
    expect(r.status.ORDER_DEFERRED).toBe(2);
    expect(Array.from(r.fills.bar)).toEqual([3]);
    expect(Array.from(r.bars.equity)).toEqual([1000, 1000, 1000, 1000, (1000 / 12) * 13]);
  });

  it('bad config is rejected up front with the field named', () => {
    expect(() => runBacktest(BARS, { entry: u8([0, 0, 0, 0, 0]), exit: u8([0, 0, 0, 0, 0]) }, { stopLoss: -1 })).toThrow(/stopLoss/);
    expect(() => runBacktest(BARS, { entry: u8([0, 0, 0]), exit: u8([0, 0, 0, 0, 0]) })).toThrow(/entry signals/);
  });
});
