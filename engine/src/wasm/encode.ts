/**
 * WebAssembly binary encoding primitives for the engine's hand-assembled kernels (the PBO's
 * sweep/stats/pbo-wasm.ts; bench/scan-wasm.bench.mjs uses them too). A module is the magic and
 * version, then sections (id, byte length, contents); numbers are LEB128. Reference: the
 * WebAssembly core specification, "Binary Format" (5.2 Values, 5.5 Modules).
 */

/** Unsigned LEB128 of a 32-bit value. */
export function uleb(n: number): number[] {
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

/** Signed LEB128 of a 32-bit value. */
export function sleb(n: number): number[] {
  const o: number[] = [];
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      o.push(b);
      return o;
    }
    o.push(b | 0x80);
  }
}

/** A vector: its length, then its items. */
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
/** A section: id, byte length, contents. */
export const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
/** A name (ASCII here). */
export const name = (s: string): number[] => vec(Array.from(s, (ch) => [ch.charCodeAt(0)]));
/** A SIMD instruction (prefix 0xfd, then its LEB128 opcode). */
export const simd = (code: number): number[] => [0xfd, ...uleb(code)];

/** One exported function: parameter, result and local types (0x7f i32, 0x7c f64, 0x7b v128), and its body (without the final `end`). */
export interface WasmFunc {
  readonly name: string;
  readonly params: readonly number[];
  readonly results?: readonly number[];
  readonly locals: readonly number[];
  readonly body: readonly number[];
}

/**
 * A module whose functions are all exported by name and which imports one memory as "m"."mem"
 * (minimum 1 page): type (1), import (2), function (3), export (7) and code (10) sections, one
 * type per function, each local declared on its own.
 */
export function assembleModule(funcs: readonly WasmFunc[]): Uint8Array {
  const types = section(1, vec(funcs.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec((f.results ?? []).map((t) => [t]))])));
  const imports = section(2, vec([[...name('m'), ...name('mem'), 0x02, 0x00, 1]]));
  const fns = section(3, vec(funcs.map((_, i) => uleb(i))));
  const exported = section(7, vec(funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])));
  const code = section(10, vec(funcs.map((f) => {
    const b = [...vec(f.locals.map((t) => [1, t])), ...f.body, 0x0b];
    return [...uleb(b.length), ...b];
  })));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...imports, ...fns, ...exported, ...code]);
}
