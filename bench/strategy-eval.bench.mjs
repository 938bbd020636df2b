// Rule-evaluation micro-benchmark (not a test): time per condition evaluation at N bars with
// indicators precomputed (a memo shared across calls), so only engine/src/strategy work is timed.
// Run: npx tsc -b engine && node bench/strategy-eval.bench.mjs   (env: STRAT_BENCH_N, STRAT_BENCH_REPS)
// Reports the median and min over repeated evaluations; the machine may be shared: numbers are noisy.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(fileURLToPath(import.meta.url), '..', '..');
const { createRng, compileCondition, IndicatorMemo } = require(join(root, 'engine', 'dist', 'index.js'));

const N = Number(process.env.STRAT_BENCH_N ?? 100000);
const REPS = Number(process.env.STRAT_BENCH_REPS ?? 300);

const rng = createRng(42);
const close = new Float64Array(N);
let c = 100;
for (let i = 0; i < N; i++) { c *= Math.exp(0.0001 + 0.01 * rng.normal()); close[i] = c; }
const open = close.map((x, i) => (i === 0 ? x : close[i - 1]));
const high = close.map((x, i) => Math.max(x, open[i]) * 1.001);
const low = close.map((x, i) => Math.min(x, open[i]) * 0.999);
const bars = { length: N, ts: new Float64Array(N).map((_, i) => i * 86400000), open, high, low, close, volume: new Float64Array(N).fill(1e6) };

const params = { fast: 12, slow: 40 };
const CASES = [
  'cross_above(sma(close, fast), sma(close, slow))',
  'cross_below(sma(close, fast), sma(close, slow))',
  'sma(close, fast) > sma(close, slow)',
  'sma(close, fast) > sma(close, slow) and close > sma(close, slow)',
  'not (sma(close, fast) > sma(close, slow)) or cross_above(close, sma(close, fast))',
  'between(close, lowest(close, fast), highest(close, slow))',
];

function median(a) { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; }

const source = new IndicatorMemo();
const out = new Uint8Array(N);
const rows = [];
for (const src of CASES) {
  const cond = compileCondition(src, { params });
  const inputs = { bars, params };
  for (let i = 0; i < 50; i++) cond.evaluate(inputs, out, source); // warm-up + indicator memo
  let sum = 0;
  for (let i = 0; i < N; i++) sum += out[i];
  const times = [];
  for (let r = 0; r < REPS; r++) {
    const t0 = process.hrtime.bigint();
    cond.evaluate(inputs, out, source);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  rows.push({ expr: src, 'median ms': +median(times).toFixed(3), 'min ms': +Math.min(...times).toFixed(3), 'ns/bar': +((median(times) * 1e6) / N).toFixed(2), signals: sum });
}
console.log(`N = ${N}, ${REPS} reps`);
console.table(rows);
