/**
 * One regression tree as parallel arrays (a JSON-friendly form): node k is a leaf when
 * feature[k] = −1 (its output is value[k], shrinkage included); otherwise rows with
 * x[feature] ≤ threshold (bin ≤ bin[k] on binned data) go to left[k], the rest (and NaN) to right[k].
 */
export interface Tree {
  readonly feature: readonly number[];
  readonly threshold: readonly number[];
  readonly bin: readonly number[];
  readonly left: readonly number[];
  readonly right: readonly number[];
  readonly value: readonly number[];
  /** Split gain of each internal node (0 for leaves). */
  readonly gain: readonly number[];
}

/** Output of a tree for row `row` of column-major binned data with `n` rows. */
export function predictTreeBinned(t: Tree, bins: Uint8Array, n: number, row: number): number {
  let k = 0;
  while ((t.feature[k] as number) >= 0) {
    k = (bins[(t.feature[k] as number) * n + row] as number) <= (t.bin[k] as number) ? (t.left[k] as number) : (t.right[k] as number);
  }
  return t.value[k] as number;
}
