/**
 * Deflated Sharpe ratio (Bailey & López de Prado, 2014, "The Deflated Sharpe Ratio: Correcting for
 * Selection Bias, Backtest Overfitting and Non-Normality", J. Portfolio Management 40(5)).
 *
 * All Sharpe ratios here are per period (not annualized): SR = mean / std (ddof 1) of the per-bar
 * returns. With N trials whose per-period Sharpe ratios have variance V (ddof 1):
 *   SR0 = √V · ((1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N e)))          (γ = Euler–Mascheroni)
 *   DSR = Φ( (SR* − SR0) √(T − 1) / √(1 − γ3 SR* + (γ4 − 1)/4 · SR*²) )
 * with SR* the selected (best) trial's Sharpe, T its number of returns, γ3 its skewness and γ4 its
 * kurtosis (not excess: 3 for a normal), both as population moments m3/m2^1.5 and m4/m2².
 * With N < 2 or V = 0 there is no selection: SR0 = 0 and DSR is the probabilistic Sharpe ratio
 * against 0. A non-positive radicand gives NaN (reported, never hidden).
 */
import { normalCdf, normalInv } from './normal.js';

export const EULER_GAMMA = 0.5772156649015329;

export interface DsrInputs {
  /** Per-period Sharpe ratio of the selected trial. */
  readonly sr: number;
  /** Number of trials N. */
  readonly trials: number;
  /** Variance (ddof 1) of the trials' per-period Sharpe ratios. */
  readonly trialSrVariance: number;
  /** Number of returns T of the selected trial. */
  readonly observations: number;
  readonly skewness: number;
  /** Kurtosis, not excess (normal = 3). */
  readonly kurtosis: number;
}

export interface DsrResult extends DsrInputs {
  /** Expected maximum Sharpe under the null (per period). */
  readonly sr0: number;
  readonly z: number;
  readonly dsr: number;
}

export function expectedMaxSharpe(trials: number, variance: number): number {
  if (!(trials >= 2) || !(variance > 0)) return 0;
  const z1 = normalInv(1 - 1 / trials);
  const z2 = normalInv(1 - 1 / (trials * Math.E));
  return Math.sqrt(variance) * ((1 - EULER_GAMMA) * z1 + EULER_GAMMA * z2);
}

export function deflatedSharpe(inp: DsrInputs): DsrResult {
  const sr0 = expectedMaxSharpe(inp.trials, inp.trialSrVariance);
  const rad = 1 - inp.skewness * inp.sr + ((inp.kurtosis - 1) / 4) * inp.sr * inp.sr;
  const z = rad > 0 && inp.observations >= 2 ? ((inp.sr - sr0) * Math.sqrt(inp.observations - 1)) / Math.sqrt(rad) : Number.NaN;
  return { ...inp, sr0, z, dsr: normalCdf(z) };
}

export interface Moments { readonly n: number; readonly mean: number; readonly std: number; readonly skewness: number; readonly kurtosis: number }

/** Mean, std (ddof 1), skewness and kurtosis (population moments, two passes). */
export function moments(x: ArrayLike<number>): Moments {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] ?? 0;
  const mean = s / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (x[i] ?? 0) - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const std = n > 1 ? Math.sqrt(m2 / (n - 1)) : Number.NaN;
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return { n, mean, std, skewness: m2 > 0 ? m3 / Math.pow(m2, 1.5) : Number.NaN, kurtosis: m2 > 0 ? m4 / (m2 * m2) : Number.NaN };
}

/**
 * Sample variance (ddof 1) of finite values; NaN below two values. Sums left to right from 0 (the
 * same bits as `reduce((a, b) => a + b, 0)`), in plain loops: no array of the finite values.
 */
export function sampleVariance(values: ArrayLike<number>): number {
  const n = values.length;
  let count = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) { s += v; count++; }
  }
  if (count < 2) return Number.NaN;
  const mean = s / count;
  let q = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) q += (v - mean) * (v - mean);
  }
  return q / (count - 1);
}
