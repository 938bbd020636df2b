/**
 * Instruction encodings and the runtime API shared by the engine's hand-assembled WebAssembly
 * kernels (sweep/stats/pbo-wasm.ts, strategy/scan-wasm.ts). Opcodes from the WebAssembly core
 * specification, "Binary Format", 5.4 Instructions (SIMD: the fixed-width SIMD proposal's 0xfd
 * prefix). Every kernel keeps a JavaScript reference beside it and a bit-identity test between
 * them (docs/ARCHITECTURE.md).
 */
import { sleb, simd, uleb } from './encode.js';

/** Value types. */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Locals and constants. */
export const get = (i: number): number[] => [0x20, ...uleb(i)];
export const set = (i: number): number[] => [0x21, ...uleb(i)];
export const tee = (i: number): number[] => [0x22, ...uleb(i)];
export const i32c = (v: number): number[] => [0x41, ...sleb(v)];
export const f64c = (v: number): number[] => [0x44, ...new Uint8Array(new Float64Array([v]).buffer)];

/** i32 arithmetic and comparisons (the kernels keep pointers below 2^31: signed comparisons are safe). */
export const I32_ADD = [0x6a];
export const I32_SUB = [0x6b];
export const I32_MUL = [0x6c];
export const I32_AND = [0x71];
export const I32_SHL = [0x74];
export const I32_SHR_U = [0x76];
export const I32_CTZ = [0x68];
export const I32_LT_S = [0x48];
export const I32_GT_S = [0x4a];
export const I32_LE_S = [0x4c];
export const I32_GE_S = [0x4e];
/** select(a, b, c) = c ? a : b */
export const SELECT = [0x1b];

/** Scalar f64: load (memarg: alignment log2 3, offset) and comparisons (false with NaN). */
export const f64Load = (offset: number): number[] => [0x2b, 3, ...uleb(offset)];
export const F64_GT = [0x64];
export const F64_LE = [0x65];

/** Control. */
export const BLOCK = [0x02, 0x40];
export const LOOP = [0x03, 0x40];
export const IF = [0x04, 0x40];
export const END = [0x0b];
export const RETURN = [0x0f];
export const UNREACHABLE = [0x00];
export const br = (depth: number): number[] => [0x0c, ...uleb(depth)];
export const brIf = (depth: number): number[] => [0x0d, ...uleb(depth)];

/** v128 load / store with the memarg's alignment hint (log2 bytes: 3 = 8-byte, 4 = 16-byte). */
export const vLoad = (offset: number, alignLog2 = 4): number[] => [...simd(0x00), alignLog2, ...uleb(offset)];
export const vStore = (offset: number, alignLog2 = 4): number[] => [...simd(0x0b), alignLog2, ...uleb(offset)];
/** i8x16.shuffle(a, b, lanes): byte i of the result = byte lanes[i] of (a ++ b). */
export const shuffle = (lanes: readonly number[]): number[] => [...simd(0x0d), ...lanes];
export const F64X2_SPLAT = simd(0x14);
export const F64X2_REPLACE_1 = [...simd(0x22), 1];
export const F64X2_EQ = simd(0x47);
export const F64X2_LT = simd(0x49);
export const F64X2_GT = simd(0x4a);
export const F64X2_LE = simd(0x4b);
export const V_AND = simd(0x4e);
export const V_OR = simd(0x50);
export const V_BITSELECT = simd(0x52);
export const V_ANY_TRUE = simd(0x53);
/** Bit k = the top bit of lane k. */
export const I64X2_BITMASK = simd(0xc4);
export const I64X2_SUB = simd(0xd1);
export const F64X2_ABS = simd(0xec);
export const F64X2_ADD = simd(0xf0);
export const F64X2_SUB = simd(0xf1);
export const F64X2_MUL = simd(0xf2);
export const F64X2_DIV = simd(0xf3);
export const F64X2_PMAX = simd(0xf7);

/** The part of the WebAssembly API the engine uses (the project's TypeScript libs have no DOM types). */
export interface WasmMemory { readonly buffer: ArrayBuffer }
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
  readonly Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
}
/** The runtime's WebAssembly, when it has one. */
export const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** A module compiled from `bytes`, or null when this runtime cannot (no WebAssembly, or no SIMD). */
export function compileModule(bytes: Uint8Array): object | null {
  return wasmApi !== undefined && wasmApi.validate(bytes) ? new wasmApi.Module(bytes) : null;
}
