/**
 * Finding the next signal bar. The simulator jumps from event to event (flat: the next entry
 * signal; holding: the next exit signal), so it asks "where is the next 1 from bar t" once per
 * event. `Uint8Array.prototype.indexOf` answers that in a C++ builtin whose call overhead
 * dominates when events are a few bars apart (a fast moving-average crossover trades every few
 * bars); this scan stays in optimized JavaScript and reads four bars per step.
 */

/**
 * A 4-bytes-per-word view of a mask for `nextOne` (words cover the first `length & ~3` bytes), or
 * undefined when the mask's offset is not 4-byte aligned (then the scan reads bytes only).
 */
export function maskWords(m: Uint8Array): Int32Array | undefined {
  return m.byteOffset % 4 === 0 ? new Int32Array(m.buffer, m.byteOffset, m.length >> 2) : undefined;
}

/**
 * Index of the first byte equal to 1 in m[from..m.length), or m.length when there is none: exactly
 * `m.indexOf(1, from)` for from >= 0, with -1 mapped to m.length. `w` = maskWords(m) (or undefined).
 * A zero word has no 1 in its four bytes; a non-zero word is checked byte by byte (values other
 * than 0 and 1 are not signals and are skipped, as indexOf(1) skips them).
 */
export function nextOne(m: Uint8Array, w: Int32Array | undefined, from: number): number {
  const n = m.length;
  let i = from;
  if (w !== undefined) {
    // Bytes up to the next word boundary, then whole words.
    for (; i < n && (i & 3) !== 0; i++) if (m[i] === 1) return i;
    const words = w.length;
    for (let j = i >> 2; j < words; j++) {
      if (w[j] !== 0) {
        const b = j << 2;
        if (m[b] === 1) return b;
        if (m[b + 1] === 1) return b + 1;
        if (m[b + 2] === 1) return b + 2;
        if (m[b + 3] === 1) return b + 3;
      }
    }
    i = Math.max(i, words << 2);
  }
  for (; i < n; i++) if (m[i] === 1) return i;
  return n;
}
