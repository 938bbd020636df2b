// The issue-4 sweep workload, shared by bench/sweep.bench.mjs, sweep-ours.mjs, sweep-overhead.mjs
// and scan-wasm.bench.mjs (one definition, so every benchmark measures the same thing):
// closes of a geometric random walk close_t = close_{t-1} · exp(0.0001 + 0.01 · z_t), z from the
// engine's seeded PRNG (seed 20261121), daily-like bars (one per calendar day, open = high = low =
// close: the workload reads closes only), and the sweep spec (long-only MA crossover, fast 2..101
// × slow 2..200 step 2, fee 0.1 % per fill, fills at the signal bar's close, all in).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(fileURLToPath(import.meta.url), '..', '..');

export const SEED = 20261121;

/** The walk's closes (engine/dist must be built: the PRNG is the engine's). */
export function grwCloses(n, seed = SEED) {
  const { createRng } = require(join(root, 'engine', 'dist', 'index.js'));
  const rng = createRng(seed);
  const out = new Float64Array(n);
  let c = 100;
  for (let i = 0; i < n; i++) {
    c *= Math.exp(0.0001 + 0.01 * rng.normal());
    out[i] = c;
  }
  return out;
}

/** Daily-like bars over `close` (one bar per calendar day from 2000-01-03). */
export function grwBars(close) {
  const n = close.length;
  const ts = new Float64Array(n);
  for (let i = 0; i < n; i++) ts[i] = 946_857_600_000 + i * 86_400_000;
  return { symbol: 'GRW', interval: '1d', ts, open: close, high: close, low: close, close, volume: new Float64Array(n).fill(1), length: n };
}

/** The sweep spec of the benchmark (runSweep's SweepSpec). */
export const SWEEP_SPEC = {
  target: {
    kind: 'rules',
    entry: 'cross_above(sma(close, fast), sma(close, slow))',
    exit: 'cross_below(sma(close, fast), sma(close, slow))',
    params: { fast: 10, slow: 50 },
    backtest: { fill: 'close', direction: 'long', initialCapital: 100_000, commissionBps: 10, commissionFixed: 0, slippageBps: 0, sizing: { mode: 'fixed_fraction', fraction: 1 } },
  },
  space: { params: [{ name: 'fast', kind: 'range', start: 2, end: 101, step: 1 }, { name: 'slow', kind: 'range', start: 2, end: 200, step: 2 }] },
  type: 'custom',
  tier: 'pro',
};

/** Closes of the warm-up sweep (the first ones of the measured series: see `warmUpBars`). */
export const WARM_BARS = 300;

/**
 * The bars of the warm-up sweep of the "warm" protocol: the measured sweep (SWEEP_SPEC) run first,
 * untimed, in the same process on the first WARM_BARS closes of the same series, so the worker
 * pool is up and the code compiled on a tiny input. It is the protocol Numba gets in
 * bench/python/sweep_bench.py (its kernels compile on `close[:300]` before the timed run);
 * vectorbt's best setting is a later full run than its first.
 */
export function warmUpBars(close) {
  return grwBars(close.slice(0, Math.min(WARM_BARS, close.length)));
}
