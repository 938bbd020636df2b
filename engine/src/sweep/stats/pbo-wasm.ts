/**
 * The three inner loops of the CSCV walk (`pbo-kernels.ts`) as a small WebAssembly module with
 * 128-bit SIMD (two combinations per instruction), assembled here from its opcodes: no build step,
 * no dependency. It computes exactly what the JavaScript loops compute (IEEE-754 double
 * arithmetic, round to nearest, in the same order: the same bits), on a WebAssembly memory laid
 * out by `CscvMemory`:
 *
 *   add(bytes, ps, pq, bs, bq, ns, nq)     ns = ps + bs, nq = pq + bq, element-wise (bytes: a multiple of 16)
 *   keys(n, nIn, nOut, ps, pq, as, aq, bs, bq, ts, tq, kin, kout, out)
 *       si = (ps + as) + bs, qi = (pq + aq) + bq, so = ts − si, qo = tq − qi, d = n·q − s², key = d > 0 ? s·|s|/d : 0,
 *       stored in kin / kout; out receives per lane (even / odd combinations) the best key and its
 *       index (first strict maximum: `>` from −∞), in four f64x2: in-value, in-index, out-value,
 *       out-index. An odd n ends with the pair (n − 2, n − 1), so n − 2 is seen twice: the same key,
 *       stored twice, and the argmax (max value, lowest index over the lanes) is unchanged.
 *   ranks(n, kin, kout, vIn, vOut, out)
 *       per lane: #(kout < vOut), #(kout = vOut), #(kin < vIn), #(kin = vIn) as i64x2 over the
 *       pairs covering n (an odd n reads one padding slot that holds NaN: counted nowhere).
 * All pointers are byte offsets into the memory, 16-byte aligned.
 */

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;

function uleb(n: number): number[] {
  const o: number[] = [];
  let v = n >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    o.push(b);
  } while (v !== 0);
  return o;
}

function sleb(n: number): number[] {
  const o: number[] = [];
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) { o.push(b); return o; }
    o.push(b | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
const name = (s: string): number[] => vec(Array.from(s, (ch) => [ch.charCodeAt(0)]));
const simd = (code: number): number[] => [0xfd, ...uleb(code)];

const get = (i: number): number[] => [0x20, ...uleb(i)];
const set = (i: number): number[] => [0x21, ...uleb(i)];
const tee = (i: number): number[] => [0x22, ...uleb(i)];
const i32c = (v: number): number[] => [0x41, ...sleb(v)];
const f64c = (v: number): number[] => [0x44, ...new Uint8Array(new Float64Array([v]).buffer)];
const I32_ADD = [0x6a];
const I32_SUB = [0x6b];
const I32_MUL = [0x6c];
const I32_AND = [0x71];
const I32_LT_S = [0x48];
const F64_FROM_I32 = [0xb7];
const LOOP = [0x03, 0x40];
const IF = [0x04, 0x40];
const END = [0x0b];
const brIf = (depth: number): number[] => [0x0d, ...uleb(depth)];
const V_LOAD = [...simd(0x00), 4, 0];
const vStore = (offset: number): number[] => [...simd(0x0b), 4, ...uleb(offset)];
const F64X2_SPLAT = simd(0x14);
const F64X2_REPLACE_1 = [...simd(0x22), 1];
const F64X2_EQ = simd(0x47);
const F64X2_LT = simd(0x49);
const F64X2_GT = simd(0x4a);
const V_AND = simd(0x4e);
const V_BITSELECT = simd(0x52);
const I64X2_SUB = simd(0xd1);
const F64X2_ABS = simd(0xec);
const F64X2_ADD = simd(0xf0);
const F64X2_SUB = simd(0xf1);
const F64X2_MUL = simd(0xf2);
const F64X2_DIV = simd(0xf3);
const F64X2_PMAX = simd(0xf7);

interface Func { readonly name: string; readonly params: number[]; readonly locals: number[]; readonly body: number[] }

function assemble(funcs: readonly Func[]): Uint8Array {
  const types = section(1, vec(funcs.map((f) => [0x60, ...vec(f.params.map((t) => [t])), 0])));
  const imports = section(2, vec([[...name('m'), ...name('mem'), 0x02, 0x00, 1]]));
  const fns = section(3, vec(funcs.map((_, i) => uleb(i))));
  const exports = section(7, vec(funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])));
  const code = section(10, vec(funcs.map((f) => {
    const b = [...vec(f.locals.map((t) => [1, t])), ...f.body, ...END];
    return [...uleb(b.length), ...b];
  })));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...imports, ...fns, ...exports, ...code]);
}

/** add(bytes 0, ps 1, pq 2, bs 3, bq 4, ns 5, nq 6; i 7) */
function addFunc(): Func {
  const at = (p: number): number[] => [...get(p), ...get(7), ...I32_ADD];
  return {
    name: 'add', params: [I32, I32, I32, I32, I32, I32, I32], locals: [I32],
    body: [
      ...LOOP,
      ...at(5), ...at(1), ...V_LOAD, ...at(3), ...V_LOAD, ...F64X2_ADD, ...vStore(0),
      ...at(6), ...at(2), ...V_LOAD, ...at(4), ...V_LOAD, ...F64X2_ADD, ...vStore(0),
      ...get(7), ...i32c(16), ...I32_ADD, ...tee(7), ...get(0), ...I32_LT_S, ...brIf(0),
      ...END,
    ],
  };
}

/**
 * keys(n, nIn, nOut, ps, pq, as, aq, bs, bq, ts, tq, kin, kout, out): in-sample sums
 * (ps + as) + bs and (pq + aq) + bq (the partial sums two levels above the leaf, then its last
 * two blocks, in that order: the same additions as storing the level in between).
 */
function keysFunc(): Func {
  // parameters
  const n = 0; const nIn = 1; const nOut = 2; const ps = 3; const pq = 4; const as = 5; const aq = 6; const bs = 7; const bq = 8; const ts = 9; const tq = 10; const kin = 11; const kout = 12; const out = 13;
  // locals
  const i = 14; const end = 15; const si = 16; const qi = 17; const so = 18; const qo = 19; const di = 20; const dO = 21; const ki = 22; const ko = 23;
  const bvi = 24; const bvo = 25; const bi = 26; const bo = 27; const idx = 28; const vnIn = 29; const vnOut = 30; const zero = 31; const two = 32;
  const ld = (p: number): number[] => [...get(p), ...get(i), ...I32_ADD, ...V_LOAD];
  // key = d > 0 ? s·|s| / d : +0 (the quotient masked by d > 0: all bits cleared is +0)
  const key = (sv: number, d: number, k: number): number[] => [...get(sv), ...get(sv), ...F64X2_ABS, ...F64X2_MUL, ...get(d), ...F64X2_DIV, ...get(d), ...get(zero), ...F64X2_GT, ...V_AND, ...set(k)];
  // if key > best: index = idx, best = key (per lane; bitselect(a, b, m) takes a where m is set,
  // pmax(best, key) = best < key ? key : best)
  const argmax = (k: number, bv: number, bix: number): number[] => [
    ...get(idx), ...get(bix), ...get(k), ...get(bv), ...F64X2_GT, ...V_BITSELECT, ...set(bix),
    ...get(bv), ...get(k), ...F64X2_PMAX, ...set(bv),
  ];
  const store = (p: number, k: number): number[] => [...get(p), ...get(i), ...I32_ADD, ...get(k), ...vStore(0)];
  const pair = [
    ...ld(ps), ...ld(as), ...F64X2_ADD, ...ld(bs), ...F64X2_ADD, ...set(si),
    ...ld(pq), ...ld(aq), ...F64X2_ADD, ...ld(bq), ...F64X2_ADD, ...set(qi),
    ...ld(ts), ...get(si), ...F64X2_SUB, ...set(so),
    ...ld(tq), ...get(qi), ...F64X2_SUB, ...set(qo),
    ...get(vnIn), ...get(qi), ...F64X2_MUL, ...get(si), ...get(si), ...F64X2_MUL, ...F64X2_SUB, ...set(di),
    ...get(vnOut), ...get(qo), ...F64X2_MUL, ...get(so), ...get(so), ...F64X2_MUL, ...F64X2_SUB, ...set(dO),
    ...key(si, di, ki), ...key(so, dO, ko),
    ...store(kin, ki), ...store(kout, ko),
    ...argmax(ki, bvi, bi), ...argmax(ko, bvo, bo),
  ];
  return {
    name: 'keys', params: [I32, F64, F64, ...Array<number>(11).fill(I32)], locals: [I32, I32, ...Array<number>(17).fill(V128)],
    body: [
      ...f64c(Number.NEGATIVE_INFINITY), ...F64X2_SPLAT, ...set(bvi), ...f64c(Number.NEGATIVE_INFINITY), ...F64X2_SPLAT, ...set(bvo),
      ...get(nIn), ...F64X2_SPLAT, ...set(vnIn), ...get(nOut), ...F64X2_SPLAT, ...set(vnOut),
      ...f64c(0), ...F64X2_SPLAT, ...set(zero), ...f64c(2), ...F64X2_SPLAT, ...set(two),
      ...f64c(0), ...F64X2_SPLAT, ...f64c(1), ...F64X2_REPLACE_1, ...set(idx),
      // end = (n & ~1) · 8: the full pairs
      ...get(n), ...i32c(-2), ...I32_AND, ...i32c(8), ...I32_MUL, ...set(end),
      ...LOOP, ...pair,
      ...get(i), ...i32c(16), ...I32_ADD, ...tee(i), ...get(idx), ...get(two), ...F64X2_ADD, ...set(idx), ...get(end), ...I32_LT_S, ...brIf(0),
      ...END,
      // odd n: the pair (n − 2, n − 1)
      ...get(n), ...i32c(1), ...I32_AND, ...IF,
      ...get(end), ...i32c(8), ...I32_SUB, ...set(i),
      ...get(n), ...i32c(2), ...I32_SUB, ...F64_FROM_I32, ...F64X2_SPLAT, ...get(n), ...i32c(1), ...I32_SUB, ...F64_FROM_I32, ...F64X2_REPLACE_1, ...set(idx),
      ...pair,
      ...END,
      ...get(out), ...get(bvi), ...vStore(0), ...get(out), ...get(bi), ...vStore(16), ...get(out), ...get(bvo), ...vStore(32), ...get(out), ...get(bo), ...vStore(48),
    ],
  };
}

/** ranks(n 0, kin 1, kout 2, vIn 3, vOut 4, out 5; i 6, end 7; v128: wo 8, eo 9, wi 10, ei 11, xo 12, xi 13, vo 14, vi 15) */
function ranksFunc(): Func {
  const acc = (a: number, x: number, v: number, cmp: number[]): number[] => [...get(a), ...get(x), ...get(v), ...cmp, ...I64X2_SUB, ...set(a)];
  return {
    name: 'ranks', params: [I32, I32, I32, F64, F64, I32], locals: [I32, I32, ...Array<number>(8).fill(V128)],
    body: [
      ...get(3), ...F64X2_SPLAT, ...set(15), ...get(4), ...F64X2_SPLAT, ...set(14),
      // end = ((n + 1) & ~1) · 8
      ...get(0), ...i32c(1), ...I32_ADD, ...i32c(-2), ...I32_AND, ...i32c(8), ...I32_MUL, ...set(7),
      ...LOOP,
      ...get(2), ...get(6), ...I32_ADD, ...V_LOAD, ...set(12), ...get(1), ...get(6), ...I32_ADD, ...V_LOAD, ...set(13),
      ...acc(8, 12, 14, F64X2_LT), ...acc(9, 12, 14, F64X2_EQ), ...acc(10, 13, 15, F64X2_LT), ...acc(11, 13, 15, F64X2_EQ),
      ...get(6), ...i32c(16), ...I32_ADD, ...tee(6), ...get(7), ...I32_LT_S, ...brIf(0),
      ...END,
      ...get(5), ...get(8), ...vStore(0), ...get(5), ...get(9), ...vStore(16), ...get(5), ...get(10), ...vStore(32), ...get(5), ...get(11), ...vStore(48),
    ],
  };
}

/** The part of the WebAssembly API used here (the project's TypeScript libs have no DOM types). */
interface WasmMemory { readonly buffer: ArrayBuffer }
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
  readonly Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

export interface CscvWasm {
  /** The memory the kernels work on. */
  readonly buffer: ArrayBuffer;
  add(bytes: number, ps: number, pq: number, bs: number, bq: number, ns: number, nq: number): void;
  keys(n: number, nIn: number, nOut: number, ps: number, pq: number, as: number, aq: number, bs: number, bq: number, ts: number, tq: number, kin: number, kout: number, out: number): void;
  ranks(n: number, kin: number, kout: number, vIn: number, vOut: number, out: number): void;
}

let compiled: object | null | undefined;

/** The compiled module (once per thread), or null when this runtime has no WebAssembly SIMD. */
function cscvModule(): object | null {
  if (compiled === undefined) {
    const bytes = assemble([addFunc(), keysFunc(), ranksFunc()]);
    compiled = wasmApi !== undefined && wasmApi.validate(bytes) ? new wasmApi.Module(bytes) : null;
  }
  return compiled;
}

/**
 * The kernels over a fresh memory of at least `bytes` bytes, or null without WebAssembly SIMD
 * (or when the memory cannot be had).
 */
export function cscvWasm(bytes: number): CscvWasm | null {
  const mod = cscvModule();
  if (mod === null || wasmApi === undefined) return null;
  try {
    const memory = new wasmApi.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
    const { add, keys, ranks } = new wasmApi.Instance(mod, { m: { mem: memory } }).exports;
    if (typeof add !== 'function' || typeof keys !== 'function' || typeof ranks !== 'function') return null;
    return { buffer: memory.buffer, add: add as CscvWasm['add'], keys: keys as CscvWasm['keys'], ranks: ranks as CscvWasm['ranks'] };
  } catch {
    return null;
  }
}
