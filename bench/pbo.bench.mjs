// Micro-benchmark of the CSCV (probability of backtest overfitting) walk on its own:
// S = 16 blocks x N = 10,000 combinations of random block sums (C(16, 8) = 12,870 splits, 6,435
// visits of a set J and its complement). Prints CPU seconds of one whole computation (one thread)
// and ns per combination and visit, plus the sha256 of the λ array (the same data every run).
//   npm run bench:pbo            (builds the engine first)
//   node bench/pbo.bench.mjs [N] [S] [reps] [wasm|js]
// Measured on this 2-core machine (shared with other work, so noisy), S = 16, N = 10,000:
//   before (JavaScript loops, commit bd4a17f): 1.13-1.6 CPU-s, 17.5-25 ns per combination and
//   visit (the same loops run today with `js`);
//   after (WebAssembly SIMD kernels, interleaved pairs): 0.33-0.39 CPU-s, 5.1-6.0 ns; the same λ
//   (sha256 below: 47b42cd1… before and after).
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { cpuUsage } from 'node:process';

const require = createRequire(import.meta.url);
const pboPath = process.env.PBO_MODULE ?? '../engine/dist/sweep/stats/pbo.js';
const { probabilityOfBacktestOverfitting, blockBounds } = require(pboPath);

const N = Number(process.argv[2] ?? 10000);
const S = Number(process.argv[3] ?? 16);
const reps = Number(process.argv[4] ?? 3);
const kernels = process.argv[5] ?? 'wasm';
const L = 10000;

// Seeded xorshift32 + Box-Muller: the same block sums on every run.
let seed = 0x9e3779b9;
const uni = () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return (seed + 0.5) / 4294967296; };
const gauss = () => Math.sqrt(-2 * Math.log(uni())) * Math.cos(2 * Math.PI * uni());

const counts = blockBounds(L, S).map(({ start, end }) => end - start);
const sums = new Float64Array(S * N);
const sumsq = new Float64Array(S * N);
for (let c = 0; c < N; c++) {
  const never = c % 97 === 13; // about 1% never trade: all-zero sums (key 0 on every split)
  const dup = c % 211 === 7 && c > 0; // a few duplicates of the previous combination (ties)
  const drift = 0.0002 * gauss();
  for (let b = 0; b < S; b++) {
    const i = b * N + c;
    if (never) continue;
    if (dup) { sums[i] = sums[i - 1]; sumsq[i] = sumsq[i - 1]; continue; }
    const n = counts[b];
    const vol = 0.01 * (0.5 + uni());
    const s = n * drift + vol * Math.sqrt(n) * gauss();
    sums[i] = s;
    sumsq[i] = (s * s) / n + (n - 1) * vol * vol * (0.8 + 0.4 * uni());
  }
}
const st = { blocks: S, combos: N, counts, sums, sumsq };
const visits = binom(S, S / 2) / 2;
function binom(n, k) { let r = 1; for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i; return Math.round(r); }

let best = Infinity;
let res;
for (let r = 0; r < reps; r++) {
  const u0 = cpuUsage();
  res = probabilityOfBacktestOverfitting(st, kernels);
  const u = cpuUsage(u0);
  const cpu = (u.user + u.system) / 1e6;
  best = Math.min(best, cpu);
  console.log(`rep ${r + 1}: ${cpu.toFixed(3)} CPU-s, ${((cpu * 1e9) / (visits * N)).toFixed(2)} ns per combination and visit`);
}
const sha = createHash('sha256').update(new Uint8Array(res.logits.buffer, res.logits.byteOffset, res.logits.byteLength)).digest('hex');
console.log(`PBO S=${S} N=${N} (${kernels} kernels): best ${best.toFixed(3)} CPU-s, ${((best * 1e9) / (visits * N)).toFixed(2)} ns per combination and visit (${visits} visits); pbo ${res.pbo}; sha256(λ) ${sha}`);
