/**
 * The crossover scan of pair-signals.ts (`nextCrossAbove`) as a WebAssembly SIMD kernel, over
 * series held in the kernel's own memory: a `ScanArena` is a fixed WebAssembly memory cut into
 * equal slots, one series of the job's bar count per slot, handed out as Float64Array views (a
 * sweep worker's indicator cache keeps its values there: sweep/exec/indicator-source.ts). The
 * memory is sized once and never grown, so the views never detach.
 *
 * The kernel answers exactly what the JavaScript reference answers (pair-signals.ts, kept as the
 * reference and as the path for series outside an arena): the first t in [max(from, 1), n) with
 * x[t−1] <= y[t−1] and x[t] > y[t] (f64 comparisons, false with NaN), n when none. It compares two
 * bars per instruction, four per iteration: per pair of bars le = (x <= y) and gt = (x > y), and a
 * signal at bar t is le[t−1] & gt[t]; le of the iteration's last bar is carried into the next.
 * The test suite checks it against the reference on ties, NaNs, every start and odd addresses.
 *
 *   nextCrossAbove(xp, yp, from, n) -> i32   (xp, yp: byte addresses of x[0], y[0])
 *   t = max(from, 1); if t >= n return n
 *   ax = xp + 8(t−1), ay = yp + 8(t−1)  (the bar before t: every load has a non-negative offset)
 *   t odd: scalar test of bar t, t++ (the vector loads of bars t, t+1 are then 16-byte aligned
 *     when xp is; alignment only matters for speed)
 *   while 4 bars remain: le_k = le(x[t+2k..t+2k+1], y[…]), gt_k likewise (k = 0, 1);
 *     s_k = [le_{k−1}.lane1, le_k.lane0] & gt_k (le_{−1}: carried; before the loop le(bar t−1));
 *     any lane of s_0 | s_1 set: the first k with bitmask(s_k) != 0 gives t + 2k + ctz(bitmask)
 *   scalar tail, bar by bar; return n
 */
import { assembleModule, type WasmFunc } from '../wasm/encode.js';
import {
  BLOCK, END, F64_GT, F64_LE, F64X2_GT, F64X2_LE, I32, I32_ADD, I32_AND, I32_CTZ, I32_GE_S, I32_GT_S, I32_LE_S, I32_SHL, I32_SHR_U, I32_SUB,
  I64X2_BITMASK, IF, LOOP, RETURN, SELECT, UNREACHABLE, V128, V_AND, V_ANY_TRUE, V_OR, br, brIf, compileModule, f64Load, get, i32c, set,
  shuffle, vLoad, wasmApi, type WasmMemory,
} from '../wasm/ops.js';

/** [a.lane1, b.lane0] as f64 lanes (bytes 8..15 of a, then 0..7 of b). */
const SHIFT_IN = shuffle([8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]);
/** [a.lane0, a.lane0]. */
const DUP_LANE0 = shuffle([0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7]);
/**
 * The kernel as a module function named `name`, comparing `K` pairs of bars per iteration (the
 * engine's is K = 2: four bars; bench/scan-wasm.bench.mjs times other K against it).
 */
export function crossScanFunc(name: string, K: number): WasmFunc {
  const xp = 0; const yp = 1; const from = 2; const n = 3; // params
  const t = 4; const ax = 5; const ay = 6; const endX = 7; const lim = 8; const m = 9; // i32 locals
  const prev = 10; const le = (k: number): number => 11 + k; const s = (k: number): number => 11 + K + k; // v128 locals
  const load = (off: number): number[] => vLoad(off, 3); // 8-byte alignment is all the kernel promises
  const barAt = (): number[] => [...get(ax), ...get(xp), ...I32_SUB, ...i32c(3), ...I32_SHR_U, ...i32c(1), ...I32_ADD]; // t of ax
  const scalarTest = (): number[] => [
    ...get(ax), ...f64Load(0), ...get(ay), ...f64Load(0), ...F64_LE,
    ...get(ax), ...f64Load(8), ...get(ay), ...f64Load(8), ...F64_GT, ...I32_AND,
  ];
  const advance = (bytes: number): number[] => [...get(ax), ...i32c(bytes), ...I32_ADD, ...set(ax), ...get(ay), ...i32c(bytes), ...I32_ADD, ...set(ay)];
  const cmp = (off: number, op: number[]): number[] => [...get(ax), ...load(off), ...get(ay), ...load(off), ...op];
  const body: number[] = [];
  // t = max(from, 1); if (t >= n) return n
  body.push(...get(from), ...i32c(1), ...get(from), ...i32c(1), ...I32_GT_S, ...SELECT, ...set(t));
  body.push(...get(t), ...get(n), ...I32_GE_S, ...IF, ...get(n), ...RETURN, ...END);
  // ax = xp + 8(t − 1); ay = yp + 8(t − 1); endX = xp + 8(n − 1)
  body.push(...get(t), ...i32c(1), ...I32_SUB, ...i32c(3), ...I32_SHL, ...set(m));
  body.push(...get(xp), ...get(m), ...I32_ADD, ...set(ax), ...get(yp), ...get(m), ...I32_ADD, ...set(ay));
  body.push(...get(n), ...i32c(1), ...I32_SUB, ...i32c(3), ...I32_SHL, ...get(xp), ...I32_ADD, ...set(endX));
  // odd t: bar t alone
  body.push(...get(t), ...i32c(1), ...I32_AND, ...IF, ...scalarTest(), ...IF, ...get(t), ...RETURN, ...END, ...advance(8), ...END);
  // lim = endX − 16K: a whole vector step fits while ax <= lim
  body.push(...get(endX), ...i32c(16 * K), ...I32_SUB, ...set(lim));
  body.push(...BLOCK, ...get(ax), ...get(lim), ...I32_GT_S, ...brIf(0));
  // prev = le(bars t−1, t) with lane 0 (bar t−1) in both lanes
  body.push(...cmp(0, F64X2_LE), ...set(prev), ...get(prev), ...get(prev), ...DUP_LANE0, ...set(prev));
  body.push(...LOOP);
  for (let k = 0; k < K; k++) {
    body.push(...cmp(8 + 16 * k, F64X2_LE), ...set(le(k)));
    body.push(...get(k === 0 ? prev : le(k - 1)), ...get(le(k)), ...SHIFT_IN);
    body.push(...cmp(8 + 16 * k, F64X2_GT), ...V_AND, ...set(s(k)));
  }
  body.push(...get(s(0)));
  for (let k = 1; k < K; k++) body.push(...get(s(k)), ...V_OR);
  body.push(...V_ANY_TRUE, ...IF);
  for (let k = 0; k < K; k++) {
    body.push(...get(s(k)), ...I64X2_BITMASK, ...set(m), ...get(m), ...IF);
    body.push(...barAt(), ...i32c(2 * k), ...I32_ADD, ...get(m), ...I32_CTZ, ...I32_ADD, ...RETURN, ...END);
  }
  body.push(...UNREACHABLE, ...END);
  body.push(...get(le(K - 1)), ...set(prev));
  body.push(...advance(16 * K), ...get(ax), ...get(lim), ...I32_LE_S, ...brIf(0), ...END, ...END);
  // scalar tail: loop { if ax >= endX: done; test the bar after ax; advance }
  body.push(...BLOCK, ...LOOP, ...get(ax), ...get(endX), ...I32_GE_S, ...brIf(1));
  body.push(...scalarTest(), ...IF, ...barAt(), ...RETURN, ...END, ...advance(8), ...br(0), ...END, ...END);
  body.push(...get(n));
  return { name, params: [I32, I32, I32, I32], results: [I32], locals: [...Array<number>(6).fill(I32), ...Array<number>(1 + 2 * K).fill(V128)], body };
}

let compiled: object | null | undefined;
/** The compiled module (once per thread), or null when this runtime has no WebAssembly SIMD. */
function scanModule(): object | null {
  if (compiled === undefined) compiled = compileModule(assembleModule([crossScanFunc('nextCrossAbove', 2)]));
  return compiled;
}

/** The most memory an arena takes (its addresses must stay below 2^31: the kernel compares them signed). */
export const MAX_ARENA_BYTES = 1 << 30;
const PAGE = 65536;
/** A thread keeps its memory between arenas up to this size (beyond, it is let go when closed). */
const KEEP_BYTES = 160 * 1024 * 1024;

/** Byte address of x[0] and y[0], the start bar and the length: the first crossing above at or after `from`, or n. */
export type ScanKernel = (xp: number, yp: number, from: number, n: number) => number;

/**
 * A kernel instance and its memory, and the id of the arena using them (0: free). A number, not
 * the arena: V8 tracks the type of an object field, and the first time it went from an arena back
 * to `undefined` every optimized function that read it was dropped.
 */
interface Engine {
  readonly memory: WasmMemory;
  readonly kernel: ScanKernel;
  holder: number;
}

let lastArenaId = 0;

/**
 * This thread's engine, lent to one arena at a time. Reusing it keeps the kernel the same function
 * object from one sweep to the next: optimized code that calls it (the simulator's loop inlines
 * the call) stays valid, where a new instance per sweep made V8 throw that code away and compile
 * it again when the old instance died.
 */
let shared: Engine | undefined;

function newEngine(bytes: number): Engine | null {
  const mod = scanModule();
  if (mod === null || wasmApi === undefined) return null;
  try {
    const pages = Math.max(1, Math.ceil(bytes / PAGE));
    const memory = new wasmApi.Memory({ initial: pages, maximum: pages });
    const { nextCrossAbove } = new wasmApi.Instance(mod, { m: { mem: memory } }).exports;
    return typeof nextCrossAbove === 'function' ? { memory, kernel: nextCrossAbove as ScanKernel, holder: 0 } : null;
  } catch {
    return null;
  }
}

/**
 * A WebAssembly memory cut into `slots` series of `slotLength` doubles each (16-byte aligned),
 * with the scan kernel over it. A slot is taken with `alloc` (a fresh view each time, so caches
 * keyed by the view never see an older series' entry) and given back with `release`; the caller
 * must not use a released view (its values will be overwritten). `close` ends the arena: the
 * thread's memory and kernel then serve the next arena, so no view of a closed arena may be used.
 * The memory never grows while an arena uses it, so views never detach under their user.
 */
export class ScanArena {
  private readonly free: number[] = [];
  private readonly slotBytes: number;

  private constructor(
    private readonly engine: Engine,
    private readonly buffer: ArrayBuffer,
    readonly slotLength: number,
    readonly slots: number,
    private readonly id: number,
  ) {
    this.slotBytes = (slotLength * 8 + 15) & ~15;
    this.nextCrossAbove = engine.kernel;
    for (let i = slots - 1; i >= 0; i--) this.free.push(i);
  }

  /** The kernel over this arena's memory. */
  readonly nextCrossAbove: ScanKernel;

  /**
   * An arena of up to `slots` series (fewer when MAX_ARENA_BYTES would be passed) over this
   * thread's memory when no other arena holds it and it is large enough (else over a new memory of
   * at least `reserve` bytes, which becomes the thread's when it is free), or null when this
   * runtime has no WebAssembly SIMD, the memory cannot be had, or not one slot fits. A memory is
   * never grown: growing detaches its old buffer, and V8 drops every optimized typed-array loop of
   * the thread the first time any buffer is detached.
   */
  static create(slotLength: number, slots: number, reserve = 0): ScanArena | null {
    if (!Number.isInteger(slotLength) || slotLength < 1 || !(slots >= 1)) return null;
    const slotBytes = (slotLength * 8 + 15) & ~15;
    const count = Math.min(Math.floor(slots), Math.floor(MAX_ARENA_BYTES / slotBytes));
    if (count < 1) return null;
    const bytes = count * slotBytes;
    let engine: Engine | null = shared !== undefined && shared.holder === 0 && shared.memory.buffer.byteLength >= bytes ? shared : null;
    if (engine === null) {
      engine = newEngine(Math.min(MAX_ARENA_BYTES, Math.max(bytes, reserve)));
      if (engine === null) return null;
      if (shared === undefined || shared.holder === 0) shared = engine;
    }
    const arena = new ScanArena(engine, engine.memory.buffer, slotLength, count, ++lastArenaId);
    // Open while its engine names it: a closed arena changes no field of its own (a field written
    // after construction would make V8 drop the optimized code that read it as a constant).
    engine.holder = arena.id;
    return arena;
  }

  /** Slots not in use. */
  get available(): number {
    return this.free.length;
  }

  /** A view over a free slot (its old contents: write before reading), or null when every slot is taken or the arena is closed. */
  alloc(): Float64Array | null {
    if (this.engine.holder !== this.id) return null;
    const i = this.free.pop();
    return i === undefined ? null : new Float64Array(this.buffer, i * this.slotBytes, this.slotLength);
  }

  /** Gives back the slot of a view `alloc` returned (anything else is ignored). */
  release(view: Float64Array): void {
    const i = this.slotOf(view);
    if (i >= 0 && !this.free.includes(i)) this.free.push(i);
  }

  /** The byte address of a[0] for the kernel when `a` is a whole slot of this open arena, else −1. */
  addressOf(a: Float64Array): number {
    return this.slotOf(a) >= 0 ? a.byteOffset : -1;
  }

  /** Ends the arena (idempotent): its memory and kernel serve the thread's next arena. */
  close(): void {
    if (this.engine.holder !== this.id) return;
    this.free.length = 0;
    this.engine.holder = 0;
    if (this.engine === shared && this.engine.memory.buffer.byteLength > KEEP_BYTES) shared = undefined;
  }

  private slotOf(a: Float64Array): number {
    if (this.engine.holder !== this.id || a.buffer !== this.buffer || a.length !== this.slotLength || a.byteOffset % this.slotBytes !== 0) return -1;
    const i = a.byteOffset / this.slotBytes;
    return i < this.slots ? i : -1;
  }
}
