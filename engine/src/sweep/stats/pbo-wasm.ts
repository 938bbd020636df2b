/**
 * The three inner loops of the CSCV walk (`pbo-kernels.ts`) as a small WebAssembly module with
 * 128-bit SIMD (two combinations per instruction), assembled here from its opcodes: no build step,
 * no dependency. It computes exactly what the JavaScript loops compute (IEEE-754 double
 * arithmetic, round to nearest, the same operations in the same order: the same bits), on a
 * memory laid out by `WasmKernels` (pbo-kernels.ts): every array is interleaved by pairs of
 * combinations, chunk j = [x(2j), x(2j+1), y(2j), y(2j+1)] with x = Σr, y = Σr² (or x = in-sample
 * key, y = out-of-sample key), so one pointer per array serves a pair (y at offset 16).
 *
 *   add(bytes, p, b, q)      q = p + b element-wise (Σr and Σr² halves alike)
 *   keys(n, nIn, nOut, p, a, b, t, k, out)
 *       s = (p + a) + b, then out of sample t − s; per side d = n·q − s², key = d > 0 ? s·|s|/d : +0,
 *       stored in k; out receives per lane (even / odd combinations) the best key and its index
 *       (first strict maximum: `>` from −∞), as four f64x2: in-value, in-index, out-value,
 *       out-index. An odd n ends with the chunk (n − 1, padding) whose padding lane is NaN.
 *   ranks(n, k, vIn, vOut, out)
 *       per lane: #(out-key < vOut), #(out-key = vOut), #(in-key < vIn), #(in-key = vIn) as i64x2
 *       over every chunk (the padding lane holds NaN: counted nowhere).
 * All pointers are byte offsets into the memory, 16-byte aligned.
 */

import { assembleModule, type WasmFunc as Func } from '../../wasm/encode.js';
import {
  END, F64, F64X2_ABS, F64X2_ADD, F64X2_DIV, F64X2_EQ, F64X2_GT, F64X2_LT, F64X2_MUL, F64X2_PMAX, F64X2_REPLACE_1, F64X2_SPLAT, F64X2_SUB,
  I32, I32_ADD, I32_AND, I32_LT_S, I32_MUL, I32_SHR_U, I64X2_SUB, IF, LOOP, V128, V_AND, V_BITSELECT,
  brIf, compileModule, f64c, get, i32c, set, tee, vLoad, vStore, wasmApi,
} from '../../wasm/ops.js';

/** add(bytes 0, p 1, b 2, q 3; i 4): q = p + b element-wise over `bytes` (Σr and Σr² halves alike). */
function addFunc(): Func {
  const at = (p: number): number[] => [...get(p), ...get(4), ...I32_ADD];
  return {
    name: 'add', params: [I32, I32, I32, I32], locals: [I32],
    body: [
      ...LOOP,
      ...at(3), ...at(1), ...vLoad(0), ...at(2), ...vLoad(0), ...F64X2_ADD, ...vStore(0),
      ...get(4), ...i32c(16), ...I32_ADD, ...tee(4), ...get(0), ...I32_LT_S, ...brIf(0),
      ...END,
    ],
  };
}

/**
 * keys(n, nIn, nOut, p, a, b, t, k, out): in-sample sums (p + a) + b (the partial sums two levels
 * above the leaf, then its last two blocks, in that order: the same additions as storing the
 * level in between), out of sample t − in-sample; keys into k. Pairs (2j, 2j + 1) of full chunks;
 * an odd n ends with the chunk (n − 1, padding) whose padding lane is made NaN before the argmax
 * (pmax and `>` ignore NaN) and stored as NaN (counted nowhere by `ranks`).
 */
function keysFunc(): Func {
  // parameters
  const n = 0; const nIn = 1; const nOut = 2; const p = 3; const a = 4; const b = 5; const t = 6; const k = 7; const out = 8;
  // locals
  const i = 9; const end = 10; const si = 11; const qi = 12; const so = 13; const qo = 14; const di = 15; const dO = 16; const ki = 17; const ko = 18;
  const bvi = 19; const bvo = 20; const bi = 21; const bo = 22; const idx = 23; const vnIn = 24; const vnOut = 25; const zero = 26; const two = 27; const nan = 28; const valid = 29;
  const ld = (ptr: number, off: number): number[] => [...get(ptr), ...get(i), ...I32_ADD, ...vLoad(off)];
  // key = d > 0 ? s·|s| / d : +0 (the quotient masked by d > 0: all bits cleared is +0)
  const key = (sv: number, d: number, kv: number): number[] => [...get(sv), ...get(sv), ...F64X2_ABS, ...F64X2_MUL, ...get(d), ...F64X2_DIV, ...get(d), ...get(zero), ...F64X2_GT, ...V_AND, ...set(kv)];
  // if key > best: index = idx, best = key (per lane; bitselect(x, y, m) takes x where m is set,
  // pmax(best, key) = best < key ? key : best)
  const argmax = (kv: number, bv: number, bix: number): number[] => [
    ...get(idx), ...get(bix), ...get(kv), ...get(bv), ...F64X2_GT, ...V_BITSELECT, ...set(bix),
    ...get(bv), ...get(kv), ...F64X2_PMAX, ...set(bv),
  ];
  const pad = (kv: number): number[] => [...get(kv), ...get(nan), ...get(valid), ...V_BITSELECT, ...set(kv)];
  const chunk = (tail: boolean): number[] => [
    ...ld(p, 0), ...ld(a, 0), ...F64X2_ADD, ...ld(b, 0), ...F64X2_ADD, ...set(si),
    ...ld(p, 16), ...ld(a, 16), ...F64X2_ADD, ...ld(b, 16), ...F64X2_ADD, ...set(qi),
    ...ld(t, 0), ...get(si), ...F64X2_SUB, ...set(so),
    ...ld(t, 16), ...get(qi), ...F64X2_SUB, ...set(qo),
    ...get(vnIn), ...get(qi), ...F64X2_MUL, ...get(si), ...get(si), ...F64X2_MUL, ...F64X2_SUB, ...set(di),
    ...get(vnOut), ...get(qo), ...F64X2_MUL, ...get(so), ...get(so), ...F64X2_MUL, ...F64X2_SUB, ...set(dO),
    ...key(si, di, ki), ...key(so, dO, ko),
    ...(tail ? [...pad(ki), ...pad(ko)] : []),
    ...get(k), ...get(i), ...I32_ADD, ...get(ki), ...vStore(0),
    ...get(k), ...get(i), ...I32_ADD, ...get(ko), ...vStore(16),
    ...argmax(ki, bvi, bi), ...argmax(ko, bvo, bo),
  ];
  return {
    name: 'keys', params: [I32, F64, F64, I32, I32, I32, I32, I32, I32], locals: [I32, I32, ...Array<number>(19).fill(V128)],
    body: [
      ...f64c(Number.NEGATIVE_INFINITY), ...F64X2_SPLAT, ...set(bvi), ...f64c(Number.NEGATIVE_INFINITY), ...F64X2_SPLAT, ...set(bvo),
      ...get(nIn), ...F64X2_SPLAT, ...set(vnIn), ...get(nOut), ...F64X2_SPLAT, ...set(vnOut),
      ...f64c(0), ...F64X2_SPLAT, ...set(zero), ...f64c(2), ...F64X2_SPLAT, ...set(two),
      ...f64c(0), ...F64X2_SPLAT, ...f64c(1), ...F64X2_REPLACE_1, ...set(idx),
      // end = (n >> 1) · 32: the full chunks (n ≥ 2, so at least one)
      ...get(n), ...i32c(1), ...I32_SHR_U, ...i32c(32), ...I32_MUL, ...set(end),
      ...LOOP, ...chunk(false),
      ...get(i), ...i32c(32), ...I32_ADD, ...tee(i), ...get(idx), ...get(two), ...F64X2_ADD, ...set(idx), ...get(end), ...I32_LT_S, ...brIf(0),
      ...END,
      // odd n: the chunk (n − 1, padding); valid = [all ones, 0] (x = x is false only for NaN)
      ...get(n), ...i32c(1), ...I32_AND, ...IF,
      ...f64c(Number.NaN), ...F64X2_SPLAT, ...set(nan),
      ...f64c(0), ...F64X2_SPLAT, ...f64c(Number.NaN), ...F64X2_REPLACE_1, ...tee(valid), ...get(valid), ...F64X2_EQ, ...set(valid),
      ...chunk(true),
      ...END,
      ...get(out), ...get(bvi), ...vStore(0), ...get(out), ...get(bi), ...vStore(16), ...get(out), ...get(bvo), ...vStore(32), ...get(out), ...get(bo), ...vStore(48),
    ],
  };
}

/** ranks(n 0, k 1, vIn 2, vOut 3, out 4; i 5, end 6; v128: wo 7, eo 8, wi 9, ei 10, xi 11, xo 12, vi 13, vo 14) */
function ranksFunc(): Func {
  const acc = (s: number, x: number, v: number, cmp: number[]): number[] => [...get(s), ...get(x), ...get(v), ...cmp, ...I64X2_SUB, ...set(s)];
  return {
    name: 'ranks', params: [I32, I32, F64, F64, I32], locals: [I32, I32, ...Array<number>(8).fill(V128)],
    body: [
      ...get(2), ...F64X2_SPLAT, ...set(13), ...get(3), ...F64X2_SPLAT, ...set(14),
      // end = ((n + 1) >> 1) · 32: every chunk, the padding lane holding NaN
      ...get(0), ...i32c(1), ...I32_ADD, ...i32c(1), ...I32_SHR_U, ...i32c(32), ...I32_MUL, ...set(6),
      ...LOOP,
      ...get(1), ...get(5), ...I32_ADD, ...vLoad(0), ...set(11), ...get(1), ...get(5), ...I32_ADD, ...vLoad(16), ...set(12),
      ...acc(7, 12, 14, F64X2_LT), ...acc(8, 12, 14, F64X2_EQ), ...acc(9, 11, 13, F64X2_LT), ...acc(10, 11, 13, F64X2_EQ),
      ...get(5), ...i32c(32), ...I32_ADD, ...tee(5), ...get(6), ...I32_LT_S, ...brIf(0),
      ...END,
      ...get(4), ...get(7), ...vStore(0), ...get(4), ...get(8), ...vStore(16), ...get(4), ...get(9), ...vStore(32), ...get(4), ...get(10), ...vStore(48),
    ],
  };
}

export interface CscvWasm {
  /** The memory the kernels work on. */
  readonly buffer: ArrayBuffer;
  add(bytes: number, p: number, b: number, q: number): void;
  keys(n: number, nIn: number, nOut: number, p: number, a: number, b: number, t: number, k: number, out: number): void;
  ranks(n: number, k: number, vIn: number, vOut: number, out: number): void;
  /** 1 while a computation holds these kernels (`cscvWasm` to `releaseCscvWasm`), else 0. */
  held: number;
}

let compiled: object | null | undefined;

/** The compiled module (once per thread), or null when this runtime has no WebAssembly SIMD. */
function cscvModule(): object | null {
  if (compiled === undefined) {
    compiled = compileModule(assembleModule([addFunc(), keysFunc(), ranksFunc()]));
  }
  return compiled;
}

/** A thread's kernel memory is at least this large (a 10,000-combination sweep of 16 blocks needs ~4 MB). */
const MIN_BYTES = 8 * 1024 * 1024;
/** A thread keeps its instance between computations up to this size (beyond, it is let go when released). */
const KEEP_BYTES = 64 * 1024 * 1024;

/**
 * This thread's instance, reused by one computation after another. A new instance per PBO gave
 * the walk new kernel functions to call, and V8 dropped the walk's optimized code (the visit, the
 * walk and the kernels' wrapper, ~70 ms of compiler per thread) at every sweep.
 */
let shared: CscvWasm | undefined;

function newLease(bytes: number): CscvWasm | null {
  const mod = cscvModule();
  if (mod === null || wasmApi === undefined) return null;
  try {
    const pages = Math.max(1, Math.ceil(bytes / 65536));
    // Never grown: growing detaches the buffer, and V8 then drops the thread's optimized typed-array code.
    const memory = new wasmApi.Memory({ initial: pages, maximum: pages });
    const { add, keys, ranks } = new wasmApi.Instance(mod, { m: { mem: memory } }).exports;
    if (typeof add !== 'function' || typeof keys !== 'function' || typeof ranks !== 'function') return null;
    return { buffer: memory.buffer, add: add as CscvWasm['add'], keys: keys as CscvWasm['keys'], ranks: ranks as CscvWasm['ranks'], held: 0 };
  } catch {
    return null;
  }
}

/**
 * The kernels over a memory of at least `bytes` bytes whose first `bytes` are all zero (as a
 * fresh memory is), held until `releaseCscvWasm`: this thread's instance when it is free and
 * large enough, else a new one (which becomes the thread's when that is free). Null without
 * WebAssembly SIMD (or when the memory cannot be had). `held` is a number, not a boolean or an
 * object, for the reason scan-wasm.ts gives for `Engine.holder`.
 */
export function cscvWasm(bytes: number): CscvWasm | null {
  let lease: CscvWasm | null = shared !== undefined && shared.held === 0 && shared.buffer.byteLength >= bytes ? shared : null;
  if (lease === null) {
    lease = newLease(Math.max(bytes, MIN_BYTES));
    if (lease === null) return null;
    if (shared === undefined || (shared.held === 0 && lease.buffer.byteLength <= KEEP_BYTES)) shared = lease;
  } else {
    new Uint8Array(lease.buffer, 0, bytes).fill(0);
  }
  lease.held = 1;
  return lease;
}

/** Gives back kernels `cscvWasm` returned (idempotent); they must not be used afterwards. */
export function releaseCscvWasm(w: CscvWasm): void {
  w.held = 0;
  if (w === shared && w.buffer.byteLength > KEEP_BYTES) shared = undefined;
}
