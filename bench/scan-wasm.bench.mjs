// Crossover scan: JavaScript vs hand-assembled WebAssembly SIMD kernels (the design evidence
// behind the engine's kernel, strategy/scan-wasm.ts, which is the `wasm4c` row: its generator,
// crossScanFunc, builds the carried variants here). `npm run bench:scan-wasm` (builds the engine first).
//
// Question: how much faster can a sweep combination's crossover scan run as WebAssembly SIMD
// than the engine's JavaScript `nextCrossAbove` (engine/src/strategy/pair-signals.ts)?
//   nextCrossAbove(x, y, from, n) = first t >= max(from, 1), t < n, with x[t] > y[t] and
//   x[t-1] <= y[t-1] (a comparison with NaN is false); n when none. cross_below(x, y) is
//   cross_above(y, x).
// The walk timed per pair is the metrics-only simulator's (backtest/sim-fast.ts): flat -> next
// cross_above from t (entry at e), held -> next cross_below from e + 1 (exit at q), flat from
// q + 1, ... until n. Every bar of the series is read about once per pair.
//
// Data (as bench/sweep.bench.mjs): closes = geometric random walk from the engine's
// createRng(20261121), close_t = close_{t-1} * exp(0.0001 + 0.01 z), N = 100,000 (argv[2]);
// SMAs by plain running sums. Grid: fast = 2..101 step 3 x slow = 2..200 step 6 (34 x 34 =
// 1,156 pairs; fast >= slow kept, as the sweep bench keeps them).
//
// Variants timed (the whole grid walk, min over REPS repetitions, ns per bar = time / (pairs N)):
//   js          engine's nextCrossAbove, no summaries (reads every bar)
//   js+summ     engine's nextCrossAbove with SeriesSummaries (16-bar max/min blocks skipped)
//   (wasm2s     WASM, 2 bars per iteration, shifted loads: measured 1.7-1.8 ns/bar below; dropped)
//   wasm4c      WASM, 4 bars per iteration, "carried" le (one load per series per 2 bars)
//   wasm8c      WASM, 8 bars per iteration, carried
//   wasm16s     WASM with the engine's 16-bar block summaries also in linear memory (skips
//               blocks that cannot hold a signal; 16 bars per iteration otherwise)
//   walk4c      the whole alternating walk inside WASM (wasm4c called wasm-to-wasm), one
//               JS->wasm call per pair, the event bars written to an i32 buffer
// plus: the JS->WASM call cost (grid time of wasm4c minus walk4c, per boundary crossing; and
// isolated loops of calls that return at once), a least-squares split of each pair's time into
// ns per bar + ns per event, the copy of the SMAs into the module's linear memory (once, up
// front, as an indicator cache held in wasm memory would), and a cache-warm run (one pair's
// first 16,000 bars walked repeatedly, in L2) to separate compute from memory traffic.
//
// Verification (the bench exits 1 on any difference): every grid pair's whole walk (every event
// bar) equal between js, js+summ and each wasm variant; and 6,000 small random series (family A:
// lengths 0..40, values from {1, 2, 3} so ties are frequent; family B: lengths 0..127 in runs of
// one sign so whole 16-bar blocks are skippable; NaNs at 0, 1 or 10 %) for every `from` in
// -1..len+1, both argument orders: each wasm variant against the engine's function, and the
// engine's function against a naive oracle written from the definition above.
// Env: SCAN_BENCH_REPS (default 5).
//
// Measured here (2026-11-22, node 20.20 / V8 11.3, Xeon 2.5 GHz, 2 shared cores; typical of
// five runs, +-5 %): grid walk ns/bar: js 4.1-4.2, js+summ 3.1-3.4, wasm2s 1.7-1.8,
// wasm4c 1.6-1.75, wasm8c 1.7-1.8, wasm16s 1.9-2.0, walk4c 1.5-1.6 (wasm4c = 1.9-2.0x js+summ).
// Split per pair: js+summ 1.12 ns/bar + 83-87 ns/event, wasm4c 0.58 ns/bar + 36 ns/event
// (1,874 events per 100,000 bars: half of the JS scan's time is per-event restart cost).
// Cache-warm: js+summ 3.0, wasm4c 1.0, wasm8c 1.0, walk4c 0.8 ns/bar. JS->wasm call about
// 4-8 ns. Copy into wasm memory 5.5 ns/value on fresh pages (2.0 ns re-copied), 0.24 ns/bar
// amortized over this grid. Summaries do not help the wasm scan (its memory traffic does not
// shrink; the per-block branches cost); 2, 4 and 8 bars per iteration are within noise.
//
// The machine is shared (2 cores): numbers are noisy; the min over repetitions is reported.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { grwCloses } from './sweep-workload.mjs';

const require = createRequire(import.meta.url);
const root = join(fileURLToPath(import.meta.url), '..', '..');
const { createRng } = require(join(root, 'engine', 'dist', 'index.js'));
const { nextCrossAbove, SeriesSummaries } = require(join(root, 'engine', 'dist', 'strategy', 'pair-signals.js'));
const { crossScanFunc } = require(join(root, 'engine', 'dist', 'strategy', 'scan-wasm.js'));

const N = Number(process.argv[2] ?? 100000);
const REPS = Number(process.env.SCAN_BENCH_REPS ?? 5);
const FAST = []; for (let f = 2; f <= 101; f += 3) FAST.push(f);
const SLOW = []; for (let s = 2; s <= 200; s += 6) SLOW.push(s);

// ---------------------------------------------------------------------------------------------
// WebAssembly assembler (the encoding primitives of engine/src/wasm/encode.ts, plus result
// types and the few opcodes this kernel needs). A module is: magic + version, then sections
// (id, byte length, contents): 1 type, 2 import (the memory, "m"."mem"), 3 function, 7 export,
// 10 code. Each code entry is (size, locals as (count, type) runs, body, 0x0b end).
// ---------------------------------------------------------------------------------------------
const I32 = 0x7f;
const V128 = 0x7b;

const { uleb, sleb, simd, assembleModule: assemble } = require(join(root, 'engine', 'dist', 'wasm', 'encode.js'));

// locals and constants
const get = (i) => [0x20, ...uleb(i)];
const set = (i) => [0x21, ...uleb(i)];
const i32c = (v) => [0x41, ...sleb(v)];
// i32 arithmetic / comparisons (pointers stay below 2^31, so signed comparisons are safe)
const I32_ADD = [0x6a];
const I32_SUB = [0x6b];
const I32_AND = [0x71];
const I32_SHL = [0x74];
const I32_SHR_U = [0x76];
const I32_CTZ = [0x68];
const I32_GE_S = [0x4e];
const I32_GT_S = [0x4a];
const I32_LT_S = [0x48];
const I32_LE_S = [0x4c];
const SELECT = [0x1b]; // select(a, b, c) = c ? a : b
// scalar f64: load (memarg: align log2 = 3, offset) and comparisons (false with NaN)
const f64Load = (offset) => [0x2b, 3, ...uleb(offset)];
const F64_GT = [0x64];
const F64_LE = [0x65];
// control
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const IF = [0x04, 0x40];
const END = [0x0b];
const RETURN = [0x0f];
const UNREACHABLE = [0x00];
const br = (depth) => [0x0c, ...uleb(depth)];
const brIf = (depth) => [0x0d, ...uleb(depth)];
// SIMD (0xfd prefix): v128.load (memarg align log2 = 3: the kernels' loads are 8-byte aligned,
// every other one 16-byte aligned), compares give all-ones / all-zeros lanes (false with NaN)
const vLoad = (offset) => [...simd(0x00), 3, ...uleb(offset)];
// i8x16.shuffle(a, b, lanes): byte i of the result = byte lanes[i] of (a ++ b).
const shuffle = (lanes) => [...simd(0x0d), ...lanes];
const F64X2_GT = simd(0x4a);
const F64X2_LE = simd(0x4b);
const V_AND = simd(0x4e);
const V_OR = simd(0x50);
const V_ANY_TRUE = simd(0x53);
const I64X2_BITMASK = simd(0xc4); // bit k = top bit of lane k


// ---------------------------------------------------------------------------------------------
// The kernel: nextCrossAbove(xp, yp, from, n) -> i32, xp / yp byte addresses of x[0] / y[0]
// (16-byte aligned). Pointers ax / ay address bar t − 1 ("the bar before t"), so every load
// has a non-negative offset: x[t−1] at ax+0, x[t] at ax+8, x[t+2k .. t+2k+1] at ax+8+16k.
//
//   t = max(from, 1); if t >= n return n
//   ax = xp + 8(t−1), ay = yp + 8(t−1); endX = xp + 8(n−1)     (ax = endX  <=>  t = n)
//   if t is odd (so x[t] is not 16-byte aligned): scalar test of bar t; t++
//   vector loop, B = 2K bars per iteration, while t + B <= n  (ax <= endX − 16K):
//     shifted (K = 1): s = le(x[t−1..t], y[t−1..t]) & gt(x[t..t+1], y[t..t+1])
//     carried (K >= 1): le_k = le(x[t+2k..], y[t+2k..]), gt_k likewise;
//                       s_k = [le_{k−1}.lane1, le_k.lane0] & gt_k   (le_{−1} = prev, carried
//                       from the previous iteration; before the loop prev.lane1 = le[t−1])
//     if any_true(s_0 | ... | s_{K−1}): the first k with bitmask(s_k) != 0 gives
//       t + 2k + ctz(bitmask) (lane 0 is the earlier bar)
//   scalar tail (fewer than B bars left): bar by bar
//   return n
// Scalar test of bar t: f64.le(x[t−1], y[t−1]) & f64.gt(x[t], y[t]).
// ---------------------------------------------------------------------------------------------
// ---------------------------------------------------------------------------------------------
// Variant with the engine's 16-bar block summaries (SeriesSummaries: (max, min) of block j at
// f64 index 2j, NaN when the block holds a NaN), also held in linear memory:
// nextCrossAboveSumm(xp, yp, sxp, syp, from, n). Stateless block rule (no flat/held state kept):
//   block all x <= y  (max x <= min y): no bar with x > y, no signal in the block: skip it;
//   block all x > y   (min x > max y):  only its first bar 16j can be a signal (needs
//                                       x[16j−1] <= y[16j−1]): test that bar, skip the rest;
//   otherwise: the 16 bars as 8 shifted 2-bar compares, OR-ed, one any_true.
// Both block tests in one f64x2 compare pair: sv = [max x, min x], tv = [min y, max y] (y's
// summary with its lanes swapped); le(sv, tv).lane0 = all-le, gt(sv, tv).lane1 = all-gt. A NaN
// summary compares false: never skipped. Before the first block boundary and after the last
// whole block: 2-bar shifted steps, then scalar.
// ---------------------------------------------------------------------------------------------
function scanSummFunc(fname) {
  const xp = 0; const yp = 1; const sxp = 2; const syp = 3; const from = 4; const n = 5;
  const t = 6; const ax = 7; const ay = 8; const endX = 9; const m = 10; const bx = 11; const by = 12; const lim2 = 13; const lim16 = 14;
  const s = (k) => 15 + k; // v128 s_0..s_7
  const sv = 23; const tv = 24;
  const barAt = () => [...get(ax), ...get(xp), ...I32_SUB, ...i32c(3), ...I32_SHR_U, ...i32c(1), ...I32_ADD];
  const scalarTest = () => [
    ...get(ax), ...f64Load(0), ...get(ay), ...f64Load(0), ...F64_LE,
    ...get(ax), ...f64Load(8), ...get(ay), ...f64Load(8), ...F64_GT, ...I32_AND,
  ];
  const advance = (bytes) => [...get(ax), ...i32c(bytes), ...I32_ADD, ...set(ax), ...get(ay), ...i32c(bytes), ...I32_ADD, ...set(ay)];
  const nextBlock = () => [...advance(128), ...get(bx), ...i32c(16), ...I32_ADD, ...set(bx), ...get(by), ...i32c(16), ...I32_ADD, ...set(by)];
  const cmp = (off, op) => [...get(ax), ...vLoad(off), ...get(ay), ...vLoad(off), ...op];
  // K shifted 2-bar compares (bars t .. t+2K−1); returns the first signal's bar, else falls through
  const shiftedStep = (K) => {
    const o = [];
    for (let k = 0; k < K; k++) o.push(...cmp(16 * k, F64X2_LE), ...cmp(8 + 16 * k, F64X2_GT), ...V_AND, ...set(s(k)));
    o.push(...get(s(0)));
    for (let k = 1; k < K; k++) o.push(...get(s(k)), ...V_OR);
    o.push(...V_ANY_TRUE, ...IF);
    for (let k = 0; k < K; k++) o.push(...get(s(k)), ...I64X2_BITMASK, ...set(m), ...get(m), ...IF, ...barAt(), ...i32c(2 * k), ...I32_ADD, ...get(m), ...I32_CTZ, ...I32_ADD, ...RETURN, ...END);
    o.push(...UNREACHABLE, ...END);
    return o;
  };
  const SWAP = shuffle([8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]);
  const body = [];
  body.push(...get(from), ...i32c(1), ...get(from), ...i32c(1), ...I32_GT_S, ...SELECT, ...set(t));
  body.push(...get(t), ...get(n), ...I32_GE_S, ...IF, ...get(n), ...RETURN, ...END);
  body.push(...get(t), ...i32c(1), ...I32_SUB, ...i32c(3), ...I32_SHL, ...set(m));
  body.push(...get(xp), ...get(m), ...I32_ADD, ...set(ax), ...get(yp), ...get(m), ...I32_ADD, ...set(ay));
  body.push(...get(n), ...i32c(1), ...I32_SUB, ...i32c(3), ...I32_SHL, ...get(xp), ...I32_ADD, ...set(endX));
  body.push(...get(endX), ...i32c(16), ...I32_SUB, ...set(lim2), ...get(endX), ...i32c(128), ...I32_SUB, ...set(lim16));
  // odd t: scalar
  body.push(...get(t), ...i32c(1), ...I32_AND, ...IF, ...scalarTest(), ...IF, ...get(t), ...RETURN, ...END, ...advance(8), ...END);
  // head: 2-bar steps up to the first block boundary (t % 16 = 0) or the end
  body.push(...BLOCK, ...LOOP,
    ...barAt(), ...i32c(15), ...I32_AND, ...[0x45] /* i32.eqz */, ...brIf(1),
    ...get(ax), ...get(lim2), ...I32_GT_S, ...brIf(1),
    ...shiftedStep(1), ...advance(16), ...br(0), ...END, ...END);
  // blocks: bx / by = summary of block t >> 4
  body.push(...barAt(), ...i32c(4), ...I32_SHR_U, ...i32c(4), ...I32_SHL, ...set(m));
  body.push(...get(sxp), ...get(m), ...I32_ADD, ...set(bx), ...get(syp), ...get(m), ...I32_ADD, ...set(by));
  body.push(...BLOCK, ...LOOP, ...get(ax), ...get(lim16), ...I32_GT_S, ...brIf(1),
    ...get(bx), ...vLoad(0), ...set(sv), ...get(by), ...vLoad(0), ...get(by), ...vLoad(0), ...SWAP, ...set(tv),
    // all x <= y: skip
    ...get(sv), ...get(tv), ...F64X2_LE, ...I64X2_BITMASK, ...i32c(1), ...I32_AND, ...IF, ...nextBlock(), ...br(1), ...END,
    // all x > y: only the first bar can be a signal
    ...get(sv), ...get(tv), ...F64X2_GT, ...I64X2_BITMASK, ...i32c(2), ...I32_AND, ...IF,
    ...scalarTest(), ...IF, ...barAt(), ...RETURN, ...END, ...nextBlock(), ...br(1), ...END,
    ...shiftedStep(8), ...nextBlock(), ...br(0), ...END, ...END);
  // tail: 2-bar steps, then scalar
  body.push(...BLOCK, ...LOOP, ...get(ax), ...get(lim2), ...I32_GT_S, ...brIf(1), ...shiftedStep(1), ...advance(16), ...br(0), ...END, ...END);
  body.push(...BLOCK, ...LOOP, ...get(ax), ...get(endX), ...I32_GE_S, ...brIf(1),
    ...scalarTest(), ...IF, ...barAt(), ...RETURN, ...END, ...advance(8), ...br(0), ...END, ...END);
  body.push(...get(n));
  return { name: fname, params: [I32, I32, I32, I32, I32, I32], results: [I32], locals: [...Array(9).fill(I32), ...Array(10).fill(V128)], body };
}
const summFunc = scanSummFunc('wasm16s');

// ---------------------------------------------------------------------------------------------
// The whole alternating walk in WebAssembly, one JS->wasm call per pair:
// walk(xp, yp, n, out) -> number of events, their bars written to out (i32 each):
//   t = 0, k = 0
//   loop: e = scan(xp, yp, t, n); if e >= n return k; out[k++] = e
//         q = scan(yp, xp, e + 1, n); if q >= n return k; out[k++] = q; t = q + 1
// `scan` is one of the functions above, called by index (wasm-to-wasm call, no JS boundary).
// ---------------------------------------------------------------------------------------------
const CALL = (f) => [0x10, ...uleb(f)];
const I32_STORE = [0x36, 2, 0]; // i32.store align 2^2, offset 0
function walkFunc(fname, scanIndex) {
  const xp = 0; const yp = 1; const n = 2; const out = 3; const t = 4; const e = 5; const k = 6;
  const store = () => [...get(out), ...get(k), ...i32c(2), ...I32_SHL, ...I32_ADD, ...get(e), ...I32_STORE, ...get(k), ...i32c(1), ...I32_ADD, ...set(k)];
  const body = [
    ...LOOP,
    ...get(xp), ...get(yp), ...get(t), ...get(n), ...CALL(scanIndex), ...set(e),
    ...get(e), ...get(n), ...I32_GE_S, ...IF, ...get(k), ...RETURN, ...END, ...store(),
    ...get(yp), ...get(xp), ...get(e), ...i32c(1), ...I32_ADD, ...get(n), ...CALL(scanIndex), ...set(e),
    ...get(e), ...get(n), ...I32_GE_S, ...IF, ...get(k), ...RETURN, ...END, ...store(),
    ...get(e), ...i32c(1), ...I32_ADD, ...set(t), ...br(0),
    ...END, ...UNREACHABLE,
  ];
  return { name: fname, params: [I32, I32, I32, I32], results: [I32], locals: [I32, I32, I32], body };
}

/** A trivial export for the call-overhead measurement: returns n at once. */
const nopFunc = { name: 'nop', params: [I32, I32, I32, I32], results: [I32], locals: [], body: [...get(3)] };

const VARIANTS = [
  { key: 'wasm4c', fn: crossScanFunc('wasm4c', 2), what: '4 bars/iter, carried le (the engine\'s kernel)' },
  { key: 'wasm8c', fn: crossScanFunc('wasm8c', 4), what: '8 bars/iter, carried le' },
];

// ---------------------------------------------------------------------------------------------
// Data: closes and the SMAs the grid uses (one Float64Array per window, as the sweep's indicator
// cache holds them).
// ---------------------------------------------------------------------------------------------

/** Simple moving average by a running sum; NaN before the window is full. */
function sma(c, w) {
  const out = new Float64Array(c.length);
  let sum = 0;
  for (let i = 0; i < c.length; i++) {
    sum += c[i];
    if (i >= w) sum -= c[i - w];
    out[i] = i >= w - 1 ? sum / w : NaN;
  }
  return out;
}

const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

const closes = grwCloses(N, 20261121);
const windows = [...new Set([...FAST, ...SLOW])].sort((a, b) => a - b);
let t0 = now();
const series = new Map(windows.map((w) => [w, sma(closes, w)]));
const smaMs = now() - t0;
const pairs = [];
for (const f of FAST) for (const s of SLOW) pairs.push([f, s]);

// ---------------------------------------------------------------------------------------------
// Linear memory: 16 bytes of padding, then each series at a 16-byte aligned address; then a
// scratch area for the small verification series. Copied once, timed.
// ---------------------------------------------------------------------------------------------
const SCRATCH = 1024; // bytes per small series (up to 128 bars)
const stride = Math.ceil((8 * N) / 16) * 16;
const sstride = Math.max(16, (N >> 4) * 16); // one series' summary: (max, min) per whole 16-bar block
const bytesNeeded = 16 + windows.length * (stride + sstride) + 4 * SCRATCH + 4 * N;
const memory = new WebAssembly.Memory({ initial: Math.ceil(bytesNeeded / 65536) });
const addr = new Map();
windows.forEach((w, i) => addr.set(w, 16 + i * stride));
const scratchX = 16 + windows.length * stride;
const scratchY = scratchX + SCRATCH;
const summAddr = new Map();
windows.forEach((w, i) => summAddr.set(w, scratchY + SCRATCH + i * sstride));
const scratchSX = scratchY + SCRATCH + windows.length * sstride;
const scratchSY = scratchSX + SCRATCH;
const eventsAt = scratchSY + SCRATCH; // i32 event buffer of the in-wasm walk (N entries at most)
const heap = new Float64Array(memory.buffer);
t0 = now();
for (const w of windows) heap.set(series.get(w), addr.get(w) / 8);
const copyMs = now() - t0; // includes the first touch (page faults) of the fresh wasm pages
t0 = now();
for (const w of windows) heap.set(series.get(w), addr.get(w) / 8);
const recopyMs = now() - t0; // the same copy into pages already mapped
const summaries = new SeriesSummaries();
t0 = now();
for (const w of windows) summaries.summary(series.get(w));
const summMsJs = now() - t0;
t0 = now();
for (const w of windows) heap.set(summaries.summary(series.get(w)), summAddr.get(w) / 8);
const summCopyMs = now() - t0;

// function indices: VARIANTS 0..1 (wasm4c = 0), wasm16s 2, nop 3, walk4c 4
const bytes = assemble([...VARIANTS.map((v) => v.fn), summFunc, nopFunc, walkFunc('walk4c', 0)]);
if (!WebAssembly.validate(bytes)) { console.error('the assembled module does not validate'); process.exit(1); }
const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { mem: memory } });
for (const v of VARIANTS) v.scan = instance.exports[v.key];
const wasmNop = instance.exports.nop;
const wasmSumm = instance.exports.wasm16s;
const wasmWalk = instance.exports.walk4c;

// ---------------------------------------------------------------------------------------------
// The walks (one per variant, so each call site sees one target). They return the number of
// events; `ev`, when given, receives the event bars.
// ---------------------------------------------------------------------------------------------
function walkJs(x, y, n, ev) {
  let t = 0; let k = 0;
  for (;;) {
    const e = nextCrossAbove(x, y, t, n);
    if (e >= n) return k;
    if (ev) ev.push(e);
    k++;
    const q = nextCrossAbove(y, x, e + 1, n);
    if (q >= n) return k;
    if (ev) ev.push(q);
    k++;
    t = q + 1;
  }
}
function walkJsSumm(x, y, sx, sy, n, ev) {
  let t = 0; let k = 0;
  for (;;) {
    const e = nextCrossAbove(x, y, t, n, sx, sy);
    if (e >= n) return k;
    if (ev) ev.push(e);
    k++;
    const q = nextCrossAbove(y, x, e + 1, n, sy, sx);
    if (q >= n) return k;
    if (ev) ev.push(q);
    k++;
    t = q + 1;
  }
}
function walkWasm(scan, px, py, n, ev) {
  let t = 0; let k = 0;
  for (;;) {
    const e = scan(px, py, t, n);
    if (e >= n) return k;
    if (ev) ev.push(e);
    k++;
    const q = scan(py, px, e + 1, n);
    if (q >= n) return k;
    if (ev) ev.push(q);
    k++;
    t = q + 1;
  }
}

function walkWasmSumm(scan, px, py, sx, sy, n, ev) {
  let t = 0; let k = 0;
  for (;;) {
    const e = scan(px, py, sx, sy, t, n);
    if (e >= n) return k;
    if (ev) ev.push(e);
    k++;
    const q = scan(py, px, sy, sx, e + 1, n);
    if (q >= n) return k;
    if (ev) ev.push(q);
    k++;
    t = q + 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------------------------
let failures = 0;
const fail = (msg) => { if (failures++ < 10) console.error('MISMATCH', msg); };
const sameArray = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

// (1) every grid pair's whole walk
let gridChecks = 0;
let totalEvents = 0;
for (const [f, s] of pairs) {
  const x = series.get(f); const y = series.get(s);
  const ref = []; walkJs(x, y, N, ref);
  totalEvents += ref.length;
  const withSumm = []; walkJsSumm(x, y, summaries.summary(x), summaries.summary(y), N, withSumm);
  if (!sameArray(ref, withSumm)) fail(`js+summ walk differs at fast ${f} slow ${s}`);
  for (const v of VARIANTS) {
    const got = []; walkWasm(v.scan, addr.get(f), addr.get(s), N, got);
    if (!sameArray(ref, got)) fail(`${v.key} walk differs at fast ${f} slow ${s}: ${ref.length} vs ${got.length} events`);
    gridChecks++;
  }
  const got = []; walkWasmSumm(wasmSumm, addr.get(f), addr.get(s), summAddr.get(f), summAddr.get(s), N, got);
  const k = wasmWalk(addr.get(f), addr.get(s), N, eventsAt);
  if (!sameArray(ref, Array.from(new Int32Array(memory.buffer, eventsAt, k)))) fail(`walk4c differs at fast ${f} slow ${s}`);
  gridChecks++;
  if (!sameArray(ref, got)) fail(`wasm16s walk differs at fast ${f} slow ${s}: ${ref.length} vs ${got.length} events`);
  gridChecks++;
}

// (2) small random series with ties and NaNs, every `from`, both argument orders
/** Oracle straight from the definition (independent of the engine's state machine). */
function naive(x, y, from, n) {
  for (let t = Math.max(from, 1); t < n; t++) if (x[t] > y[t] && x[t - 1] <= y[t - 1]) return t;
  return n;
}
const rng = createRng(7);
const VALUES = [1, 2, 3, NaN];
let smallChecks = 0;
for (let trial = 0; trial < 6000; trial++) {
  const nanRate = trial % 3 === 0 ? 0 : trial % 3 === 1 ? 0.1 : 0.01;
  let x; let y;
  if (trial < 3000) {
    // family A: lengths 0..40, independent values from {1, 2, 3} (ties frequent), NaNs
    const len = Math.floor(rng.uniform() * 41);
    const pick = () => (rng.uniform() < nanRate ? NaN : VALUES[Math.floor(rng.uniform() * 3)]);
    x = new Float64Array(len).map(pick);
    y = new Float64Array(len).map(pick);
  } else {
    // family B: lengths 0..127, runs of 1..40 bars with x - y of one sign (or tied), so whole
    // 16-bar blocks are all-le or all-gt (the summary skips), NaNs
    const len = Math.floor(rng.uniform() * 128);
    x = new Float64Array(len); y = new Float64Array(len);
    let d = 0;
    for (let i = 0, run = 0; i < len; i++, run--) {
      if (run <= 0) { run = 1 + Math.floor(rng.uniform() * 40); d = Math.floor(rng.uniform() * 3) - 1; }
      y[i] = 2 + Math.floor(rng.uniform() * 3);
      x[i] = rng.uniform() < 0.1 ? y[i] : y[i] + d * (1 + rng.uniform());
      if (rng.uniform() < nanRate) x[i] = NaN;
      if (rng.uniform() < nanRate) y[i] = NaN;
    }
  }
  const len = x.length;
  heap.set(x, scratchX / 8); heap.set(y, scratchY / 8);
  heap.set(summaries.summary(x), scratchSX / 8); heap.set(summaries.summary(y), scratchSY / 8);
  for (let from = -1; from <= len + 1; from++) {
    for (const [a, b, pa, pb, sa, sb] of [[x, y, scratchX, scratchY, scratchSX, scratchSY], [y, x, scratchY, scratchX, scratchSY, scratchSX]]) {
      const want = nextCrossAbove(a, b, from, len);
      if (want !== naive(a, b, from, len)) fail(`engine vs naive oracle len ${len} from ${from}`);
      for (const v of VARIANTS) {
        const got = v.scan(pa, pb, from, len);
        if (got !== want) fail(`${v.key} len ${len} from ${from}: ${got} vs ${want} (x ${Array.from(a)} y ${Array.from(b)})`);
        smallChecks++;
      }
      const got = wasmSumm(pa, pb, sa, sb, from, len);
      if (got !== want) fail(`wasm16s len ${len} from ${from}: ${got} vs ${want} (x ${Array.from(a)} y ${Array.from(b)})`);
      smallChecks++;
    }
  }
}
console.log(`verification: ${pairs.length} grid pairs x ${VARIANTS.length + 2} wasm variants = ${gridChecks} whole walks (${totalEvents} events per variant), ` +
  `${smallChecks} small-series calls (6,000 series, lengths 0..127, ties and NaNs, every from, both orders); mismatches: ${failures}`);
if (failures > 0) process.exit(1);

// ---------------------------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------------------------
const bars = pairs.length * N;
function timeGrid(label, run) {
  let best = Infinity; let events = 0;
  for (let r = 0; r < REPS; r++) {
    const a = now();
    events = 0;
    for (const [f, s] of pairs) events += run(f, s);
    best = Math.min(best, now() - a);
  }
  if (events !== totalEvents) { console.error(`${label}: ${events} events, expected ${totalEvents}`); process.exit(1); }
  return best;
}
const rows = [];
const jsMs = timeGrid('js', (f, s) => walkJs(series.get(f), series.get(s), N));
rows.push(['js', 'engine nextCrossAbove, every bar', jsMs]);
const summMs = timeGrid('js+summ', (f, s) => { const x = series.get(f); const y = series.get(s); return walkJsSumm(x, y, summaries.summary(x), summaries.summary(y), N); });
rows.push(['js+summ', 'engine nextCrossAbove + SeriesSummaries', summMs]);
for (const v of VARIANTS) {
  const ms = timeGrid(v.key, (f, s) => walkWasm(v.scan, addr.get(f), addr.get(s), N));
  rows.push([v.key, v.what, ms]);
}
const summWasmMs = timeGrid('wasm16s', (f, s) => walkWasmSumm(wasmSumm, addr.get(f), addr.get(s), summAddr.get(f), summAddr.get(s), N));
rows.push(['wasm16s', '16-bar summaries in wasm memory, 16 bars/iter', summWasmMs]);
const walkMs = timeGrid('walk4c', (f, s) => wasmWalk(addr.get(f), addr.get(s), N, eventsAt));
rows.push(['walk4c', 'whole walk in wasm (wasm4c), one call per pair, events to a buffer', walkMs]);

// Per-bar and per-event cost: each pair's walk timed alone (min of REPS), then least squares
// time = c0 + c1 * events over the pairs: c0 / N = streaming cost per bar (at zero events),
// c1 = cost per event (call, branch mispredictions, restart of the scan).
function fitEvents(run) {
  let sx = 0; let sy = 0; let sxx = 0; let sxy = 0;
  for (const [f, s] of pairs) {
    let best = Infinity; let k = 0;
    for (let r = 0; r < REPS; r++) { const a = now(); k = run(f, s); best = Math.min(best, now() - a); }
    const y = best * 1e6; // ns
    sx += k; sy += y; sxx += k * k; sxy += k * y;
  }
  const m = pairs.length;
  const c1 = (m * sxy - sx * sy) / (m * sxx - sx * sx);
  const c0 = (sy - c1 * sx) / m;
  return [c0 / N, c1];
}
const fits = [
  ['js+summ', fitEvents((f, s) => { const x = series.get(f); const y = series.get(s); return walkJsSumm(x, y, summaries.summary(x), summaries.summary(y), N); })],
  ['wasm4c', fitEvents((f, s) => walkWasm(VARIANTS[0].scan, addr.get(f), addr.get(s), N))],
  ['walk4c', fitEvents((f, s) => wasmWalk(addr.get(f), addr.get(s), N, eventsAt))],
];

// Cache-warm: one pair (fast 11, slow 50) walked repeatedly over its first WARM_N bars (fits in L2).
const WARM_N = Math.min(N, 16000);
const warmRows = [];
{
  const x = series.get(11); const y = series.get(50);
  const reps = Math.max(1, Math.round(2e7 / WARM_N));
  const sx = summaries.summary(x); const sy = summaries.summary(y);
  const timeWarm = (run) => { let best = Infinity; for (let r = 0; r < REPS; r++) { const a = now(); for (let i = 0; i < reps; i++) run(); best = Math.min(best, now() - a); } return (best * 1e6) / (reps * WARM_N); };
  warmRows.push(['js', timeWarm(() => walkJs(x, y, WARM_N))]);
  warmRows.push(['js+summ', timeWarm(() => walkJsSumm(x, y, sx, sy, WARM_N))]);
  for (const v of VARIANTS) warmRows.push([v.key, timeWarm(() => walkWasm(v.scan, addr.get(11), addr.get(50), WARM_N))]);
  warmRows.push(['walk4c', timeWarm(() => wasmWalk(addr.get(11), addr.get(50), WARM_N, eventsAt))]);
  warmRows.push(['wasm16s', timeWarm(() => walkWasmSumm(wasmSumm, addr.get(11), addr.get(50), summAddr.get(11), summAddr.get(50), WARM_N))]);
}

// Call overhead: calls that return at once (from >= n). One loop per target (a shared loop
// taking the target as a parameter would become polymorphic and time its own dispatch).
const CALLS = 5e6;
const callNs = (loop) => { let best = Infinity; for (let r = 0; r < REPS; r++) { const a = now(); loop(); best = Math.min(best, now() - a); } return (best * 1e6) / CALLS; };
let sink = 0;
const x0 = series.get(2); const y0 = series.get(8);
const scan0 = VARIANTS[0].scan;
const emptyNs = callNs(() => { for (let i = 0; i < CALLS; i++) sink += i & 3; });
const wasmCall = callNs(() => { for (let i = 0; i < CALLS; i++) sink += wasmNop(16, 32, i, 0); }) - emptyNs;
const wasmScanCall = callNs(() => { for (let i = 0; i < CALLS; i++) sink += scan0(16, 32, N + (i & 1), N); }) - emptyNs;
const jsCall = callNs(() => { for (let i = 0; i < CALLS; i++) sink += nextCrossAbove(x0, y0, N + (i & 1), N); }) - emptyNs;
if (sink === -1) console.log(sink);

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------
const ns = (ms) => (ms * 1e6) / bars;
console.log(`\nN = ${N} bars, ${pairs.length} pairs (fast ${FAST[0]}..${FAST.at(-1)} step 3 x slow ${SLOW[0]}..${SLOW.at(-1)} step 6), ${windows.length} distinct SMAs (${((windows.length * 8 * N) / 2 ** 20).toFixed(1)} MiB)`);
console.log(`events (entries + exits): ${totalEvents} in all, ${(totalEvents / pairs.length).toFixed(0)} per pair (min ${minMaxEvents()[0]}, max ${minMaxEvents()[1]})`);
console.log(`\nfull alternating walk over the grid (min of ${REPS} reps; node ${process.version}, machine shared: noisy)`);
console.log('variant   ns/bar  ms/grid  x js  x js+summ  what');
for (const [k, what, ms] of rows) {
  console.log(`${k.padEnd(8)} ${ns(ms).toFixed(3).padStart(7)} ${ms.toFixed(1).padStart(8)} ${(jsMs / ms).toFixed(2).padStart(5)} ${(summMs / ms).toFixed(2).padStart(9)}  ${what}`);
}
console.log(`\nper pair, time = c0 + c1 * events (least squares over the ${pairs.length} pairs, each the min of ${REPS}): ` + fits.map(([k, [bar, ev]]) => `${k} ${bar.toFixed(3)} ns/bar + ${ev.toFixed(1)} ns/event`).join(', '));
console.log(`\ncache-warm (pair 11/50, first ${WARM_N} bars, walked repeatedly): ` + warmRows.map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ') + ' ns/bar');
const wasm4cMs = rows.find((r) => r[0] === 'wasm4c')[2];
const bounds = totalEvents + pairs.length; // JS->wasm calls in one grid walk of wasm4c
const boundaryNs = ((wasm4cMs - walkMs) * 1e6) / bounds;
console.log(`\nJS->wasm call: (wasm4c - walk4c) grid time / ${bounds} calls = ${boundaryNs.toFixed(1)} ns per call = ${((boundaryNs * bounds) / bars).toFixed(3)} ns/bar ` +
  `(${(totalEvents / pairs.length + 1).toFixed(0)} calls per pair of ${N} bars)`);
console.log(`  isolated loops (empty loop subtracted; noisy, include the loop's own dispatch): JS->wasm nop ${wasmCall.toFixed(1)} ns, ` +
  `JS->wasm wasm4c returning at once ${wasmScanCall.toFixed(1)} ns, JS->JS nextCrossAbove returning at once ${jsCall.toFixed(1)} ns`);
console.log(`copy of the ${windows.length} SMAs into wasm memory: ${copyMs.toFixed(1)} ms = ${((copyMs * 1e6) / (windows.length * N)).toFixed(3)} ns per value ` +
  `(again, pages already mapped: ${((recopyMs * 1e6) / (windows.length * N)).toFixed(3)} ns per value; computing them: ${smaMs.toFixed(1)} ms = ${((smaMs * 1e6) / (windows.length * N)).toFixed(3)} ns per value); per pair amortized over the grid: ${((copyMs * 1e6) / bars).toFixed(4)} ns/bar`);

console.log(`summaries: computed in JS ${summMsJs.toFixed(1)} ms, copied into wasm memory ${summCopyMs.toFixed(2)} ms`);

function minMaxEvents() {
  let lo = Infinity; let hi = 0;
  for (const [f, s] of pairs) { const k = walkJs(series.get(f), series.get(s), N); lo = Math.min(lo, k); hi = Math.max(hi, k); }
  return [lo, hi];
}
