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
