/**
 * Seeded synthetic OHLCV: a geometric random walk whose volatility and drift follow a Markov
 * chain of regimes (default: calm 15%/yr vol, +5% drift; stressed 45%/yr vol, -10% drift).
 *
 * Per bar i (dt = 1 / bars per year; see docs/data.md):
 *   regime: with probability `switchProb[r]` leave regime r for one of the others (uniform);
 *   open_i  = close_{i-1} * exp(gapFraction * sigma_r * sqrt(dt) * N)          (open_0 = startPrice)
 *   close_i = open_i * exp((mu_r - sigma_r^2 / 2) dt + sigma_r sqrt(dt) N)
 *   high_i  = max(open, close) * exp(wickFraction * sigma_r sqrt(dt) |N|)
 *   low_i   = min(open, close) * exp(-wickFraction * sigma_r sqrt(dt) |N|)
 *   volume_i = round(volumeBase * (sigma_r / sigma_0) * exp(0.5 N))
 * Timestamps: start + i * interval; for `1d` weekends are skipped by default; `mo` gives the first
 * day (00:00 UTC) of consecutive months from the start's month.
 * Every bar satisfies the Bars invariants by construction. Same options -> bit-identical bars.
 */
import { SigmatiqError } from '../errors.js';
import { createRng, type Seed } from '../random/index.js';
import type { Bars } from './bars.js';
import { DAY_MS, barsPerCalendarYear, parseInterval } from './interval.js';
import { allocBars } from './make.js';

export interface Regime {
  /** Annualized volatility (e.g. 0.2 = 20%/yr). */
  readonly vol: number;
  /** Annualized drift of log price. */
  readonly drift: number;
}

export interface SyntheticOptions {
  readonly length: number;
  readonly seed: Seed;
  readonly interval?: string;
  readonly symbol?: string;
  /** First timestamp, epoch ms UTC (default 2000-01-03T00:00Z, a Monday). */
  readonly start?: number;
  readonly startPrice?: number;
  readonly regimes?: readonly Regime[];
  /** Per-bar probability of leaving each regime (default 1/250 calm, 1/50 stressed for 2 regimes). */
  readonly switchProb?: readonly number[];
  /** For `1d`: skip Saturdays and Sundays (default true). */
  readonly weekdaysOnly?: boolean;
  readonly volumeBase?: number;
  readonly gapFraction?: number;
  readonly wickFraction?: number;
}

export const DEFAULT_REGIMES: readonly Regime[] = [
  { vol: 0.15, drift: 0.05 },
  { vol: 0.45, drift: -0.1 },
];

function bad(message: string, param: string): never {
  throw new SigmatiqError('DATA_SYNTHETIC_INVALID', message, { param });
}

export function generateSyntheticBars(options: SyntheticOptions): Bars {
  const n = options.length;
  if (!Number.isSafeInteger(n) || n < 0) bad(`length must be a non-negative integer, got ${n}`, 'length');
  const iv = parseInterval(options.interval ?? '1m');
  const regimes = options.regimes ?? DEFAULT_REGIMES;
  if (regimes.length === 0 || regimes.some((r) => !(r.vol > 0) || !Number.isFinite(r.vol) || !Number.isFinite(r.drift))) {
    bad('regimes need a finite vol > 0 and a finite drift', 'regimes');
  }
  const switchProb = options.switchProb ?? (regimes.length === 2 ? [1 / 250, 1 / 50] : regimes.map(() => 1 / 100));
  if (switchProb.length !== regimes.length || switchProb.some((p) => !(p >= 0 && p <= 1))) bad('switchProb needs one probability in [0, 1] per regime', 'switchProb');
  const startPrice = options.startPrice ?? 100;
  if (!(startPrice > 0) || !Number.isFinite(startPrice)) bad('startPrice must be finite and > 0', 'startPrice');
  const weekdaysOnly = iv.text === '1d' && options.weekdaysOnly !== false;
  const perYear = weekdaysOnly ? (365.25 * 5) / 7 : barsPerCalendarYear(iv);
  const dt = 1 / perYear;
  const sqrtDt = Math.sqrt(dt);
  const gapF = options.gapFraction ?? 0.1;
  const wickF = options.wickFraction ?? 0.5;
  const volumeBase = options.volumeBase ?? 1_000_000;
  const sigma0 = (regimes[0] as Regime).vol;
  const sig = regimes.map((r) => r.vol * sqrtDt);
  const mu = regimes.map((r) => (r.drift - (r.vol * r.vol) / 2) * dt);
  const volScale = regimes.map((r) => r.vol / sigma0);

  const rng = createRng(options.seed);
  const bars = allocBars(options.symbol ?? 'SYNTH', iv.text, n);
  let t = options.start ?? Date.UTC(2000, 0, 3);
  let regime = 0;
  let prevClose = startPrice;
  const startDate = new Date(t);
  for (let i = 0; i < n; i++) {
    if (regimes.length > 1 && rng.uniform() < (switchProb[regime] ?? 0)) {
      const other = rng.int(0, regimes.length - 2);
      regime = other >= regime ? other + 1 : other;
    }
    const s = sig[regime] ?? 0;
    const open = i === 0 ? startPrice : prevClose * Math.exp(gapF * s * rng.normal());
    const close = open * Math.exp((mu[regime] ?? 0) + s * rng.normal());
    const hi = Math.max(open, close) * Math.exp(wickF * s * Math.abs(rng.normal()));
    const lo = Math.min(open, close) * Math.exp(-wickF * s * Math.abs(rng.normal()));
    if (iv.calendar) {
      t = Date.UTC(startDate.getUTCFullYear(), startDate.getUTCMonth() + i * iv.count, 1);
    } else {
      if (i > 0) t += iv.ms;
      if (weekdaysOnly) {
        const dow = (((Math.floor(t / DAY_MS) + 4) % 7) + 7) % 7;
        if (dow === 6) t += 2 * DAY_MS;
        else if (dow === 0) t += DAY_MS;
      }
    }
    bars.ts[i] = t;
    bars.open[i] = open;
    bars.close[i] = close;
    bars.high[i] = hi;
    bars.low[i] = lo;
    bars.volume[i] = Math.round(volumeBase * (volScale[regime] ?? 1) * Math.exp(0.5 * rng.normal()));
    prevClose = close;
  }
  return bars;
}
