import { parseInterval } from '../data/interval.js';
import { SigmatiqError } from '../errors.js';
import { minQuantity, pointValue, quantityStep } from '../instruments/quantity.js';
import type { Instrument } from '../instruments/schema.js';

/** Fill timing: signals are computed at bar t's close; `next_open` fills at t+1's open, `close` at t's close. */
export type FillMode = 'next_open' | 'close';
export type Direction = 'long' | 'short';

export type SizingConfig =
  /** Notional = fraction × equity at the fill (1.0 = all in; > 1 = leverage). */
  | { readonly mode: 'fixed_fraction'; readonly fraction: number }
  /**
   * fraction = min(maxFraction, targetVol / realized vol), realized vol = sample std (ddof 1) of
   * the last `lookback` close-to-close log returns up to the signal bar, × √periodsPerYear.
   */
  | { readonly mode: 'volatility_target'; readonly targetVol: number; readonly lookback: number; readonly maxFraction: number }
  /**
   * fraction = clamp(multiplier × (W − (1 − W) / R), 0, cap) from the trades closed before the
   * signal (W win rate, R avg winner / |avg loser|); `warmupFraction` until `minTrades` have closed.
   */
  | { readonly mode: 'kelly'; readonly multiplier: number; readonly cap: number; readonly minTrades: number; readonly warmupFraction: number };

/** A UTC window `HH:MM`–`HH:MM` (end exclusive; start > end wraps past midnight). */
export interface TradingWindow {
  readonly start: string;
  readonly end: string;
}

export interface BacktestConfig {
  readonly fill: FillMode;
  readonly direction: Direction;
  readonly initialCapital: number;
  /** Commission in basis points of each fill's notional. */
  readonly commissionBps: number;
  /** Fixed commission per fill, in account currency. */
  readonly commissionFixed: number;
  /** Slippage in basis points: buys fill that much above, sells below, the reference price. */
  readonly slippageBps: number;
  readonly sizing: SizingConfig;
  /** Fractions of the entry fill price (0.08 = 8 %); 0 = off. */
  readonly stopLoss: number;
  readonly takeProfit: number;
  readonly trailingStop: number;
  /** Exit after this many bars held; 0 = off. */
  readonly timeStopBars: number;
  /** Entries only on signal bars whose timestamp (UTC) is inside one of these; empty = always. */
  readonly tradingHours: readonly TradingWindow[];
  /** Quantity step (e.g. 1 share, 100 shares); 0 = fractional quantities. */
  readonly lotSize: number;
  /** Currency value of one price point per unit of quantity (futures multiplier; 1 otherwise). */
  readonly contractMultiplier: number;
  readonly minOrderQty: number;
  readonly minOrderValue: number;
  /** Annualization; 0 = derive from the bar interval with `tradingDaysPerYear` and `sessionMinutes`. */
  readonly periodsPerYear: number;
  readonly tradingDaysPerYear: number;
  /** Trading minutes per day for intraday intervals (1440 = around the clock; 390 = US equities). */
  readonly sessionMinutes: number;
}

export const DEFAULT_BACKTEST_CONFIG: BacktestConfig = {
  fill: 'next_open',
  direction: 'long',
  initialCapital: 100_000,
  commissionBps: 1,
  commissionFixed: 1,
  slippageBps: 2,
  sizing: { mode: 'fixed_fraction', fraction: 1 },
  stopLoss: 0,
  takeProfit: 0,
  trailingStop: 0,
  timeStopBars: 0,
  tradingHours: [],
  lotSize: 0,
  contractMultiplier: 1,
  minOrderQty: 0,
  minOrderValue: 0,
  periodsPerYear: 0,
  tradingDaysPerYear: 252,
  sessionMinutes: 1440,
};

export type BacktestConfigInput = Partial<BacktestConfig>;

function bad(field: string, message: string, value: unknown): never {
  throw new SigmatiqError('BACKTEST_CONFIG', `${field} ${message}`, { field, value });
}

function num(cfg: Record<string, unknown>, field: string, min: number, max = Infinity, integer = false): void {
  const v = cfg[field];
  if (typeof v !== 'number' || !Number.isFinite(v)) bad(field, 'must be a finite number', v);
  if (v < min || v > max) bad(field, `must be in [${min}, ${max}]`, v);
  if (integer && !Number.isInteger(v)) bad(field, 'must be an integer', v);
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Defaults filled in, every field checked (throws `BACKTEST_CONFIG` naming the field). */
export function resolveBacktestConfig(input: BacktestConfigInput = {}): BacktestConfig {
  const cfg: BacktestConfig = { ...DEFAULT_BACKTEST_CONFIG, ...input };
  const rec = cfg as unknown as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!(key in DEFAULT_BACKTEST_CONFIG)) bad(key, 'is not a backtest setting', (input as Record<string, unknown>)[key]);
  }
  if (cfg.fill !== 'next_open' && cfg.fill !== 'close') bad('fill', "must be 'next_open' or 'close'", cfg.fill);
  if (cfg.direction !== 'long' && cfg.direction !== 'short') bad('direction', "must be 'long' or 'short'", cfg.direction);
  num(rec, 'initialCapital', Number.MIN_VALUE);
  num(rec, 'commissionBps', 0, 10_000);
  num(rec, 'commissionFixed', 0);
  num(rec, 'slippageBps', 0, 10_000);
  num(rec, 'stopLoss', 0, 1);
  num(rec, 'takeProfit', 0);
  num(rec, 'trailingStop', 0, 1);
  num(rec, 'timeStopBars', 0, Infinity, true);
  num(rec, 'lotSize', 0);
  num(rec, 'contractMultiplier', Number.MIN_VALUE);
  num(rec, 'minOrderQty', 0);
  num(rec, 'minOrderValue', 0);
  num(rec, 'periodsPerYear', 0);
  num(rec, 'tradingDaysPerYear', 1, 366);
  num(rec, 'sessionMinutes', 1, 1440);
  const s = cfg.sizing as unknown as Record<string, unknown>;
  switch (cfg.sizing.mode) {
    case 'fixed_fraction':
      num(s, 'fraction', Number.MIN_VALUE, 100);
      break;
    case 'volatility_target':
      num(s, 'targetVol', Number.MIN_VALUE, 100);
      num(s, 'lookback', 2, 100_000, true);
      num(s, 'maxFraction', Number.MIN_VALUE, 100);
      break;
    case 'kelly':
      num(s, 'multiplier', 0, 10);
      num(s, 'cap', Number.MIN_VALUE, 100);
      num(s, 'minTrades', 0, 1_000_000, true);
      num(s, 'warmupFraction', 0, 100);
      break;
    default:
      bad('sizing.mode', "must be 'fixed_fraction', 'volatility_target' or 'kelly'", s.mode);
  }
  const windows: readonly TradingWindow[] = cfg.tradingHours;
  if (!Array.isArray(windows)) bad('tradingHours', 'must be an array of {start, end}', windows);
  windows.forEach((w: TradingWindow, i: number) => {
    if (typeof w.start !== 'string' || !HHMM.test(w.start)) bad(`tradingHours[${i}].start`, 'must be HH:MM (UTC)', w.start);
    if (typeof w.end !== 'string' || !HHMM.test(w.end)) bad(`tradingHours[${i}].end`, 'must be HH:MM (UTC)', w.end);
  });
  return cfg;
}

/**
 * Periods per year for annualization: `periodsPerYear` when set; else from the interval:
 * `Nd` → tradingDaysPerYear / N, `Nw` → 52 / N, `Nmo` → 12 / N, intraday (`s`, `m`, `h`) →
 * tradingDaysPerYear × sessionMinutes / interval minutes.
 */
export function periodsPerYear(interval: string, cfg: Pick<BacktestConfig, 'periodsPerYear' | 'tradingDaysPerYear' | 'sessionMinutes'>): number {
  if (cfg.periodsPerYear > 0) return cfg.periodsPerYear;
  const iv = parseInterval(interval);
  switch (iv.unit) {
    case 'd':
      return cfg.tradingDaysPerYear / iv.count;
    case 'w':
      return 52 / iv.count;
    case 'mo':
      return 12 / iv.count;
    default:
      return (cfg.tradingDaysPerYear * cfg.sessionMinutes * 60_000) / iv.ms;
  }
}

/** Minute-of-day windows → a per-bar entry mask (1 = entries allowed). */
export function tradingHoursMask(ts: Float64Array, windows: readonly TradingWindow[], out = new Uint8Array(ts.length)): Uint8Array {
  if (windows.length === 0) return out.fill(1);
  const mins = windows.map((w) => [toMinutes(w.start), toMinutes(w.end)] as const);
  for (let i = 0; i < ts.length; i++) {
    const m = Math.floor(((((ts[i] as number) % 86_400_000) + 86_400_000) % 86_400_000) / 60_000);
    let ok = 0;
    for (const [a, b] of mins) if (a <= b ? m >= a && m < b : m >= a || m < b) ok = 1;
    out[i] = ok;
  }
  return out;
}

function toMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/**
 * Order-size settings from an instrument (engine/src/instruments): its quantity step as `lotSize`,
 * its minimum quantity as `minOrderQty`, and its point value (futures multiplier) as
 * `contractMultiplier`. Spread the result into a config: `{ ...instrumentSettings(inst), ... }`.
 */
export function instrumentSettings(inst: Instrument): Pick<BacktestConfig, 'lotSize' | 'minOrderQty' | 'contractMultiplier'> {
  return { lotSize: quantityStep(inst), minOrderQty: minQuantity(inst), contractMultiplier: pointValue(inst) };
}
