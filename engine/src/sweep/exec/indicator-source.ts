/**
 * A worker's indicator store for one sweep: each distinct indicator computation (the strategy
 * compiler's requirement key: indicator, resolved parameters, inputs) is computed once and shared
 * by every combination the worker runs, up to a byte budget; beyond it the least recently used
 * entries are dropped (recomputed if needed again), so memory stays bounded whatever the number of
 * combinations. The bars are fixed for a sweep, so the key identifies the values.
 */
import type { IndicatorRequirement, IndicatorSource } from '../../strategy/index.js';

export class BoundedIndicatorSource implements IndicatorSource {
  private readonly map = new Map<string, readonly Float64Array[]>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly budget: number) {}

  get(req: IndicatorRequirement, compute: () => readonly Float64Array[]): readonly Float64Array[] {
    const hit = this.map.get(req.key);
    if (hit !== undefined) {
      this.hits++;
      // Refresh recency (Map keeps insertion order).
      this.map.delete(req.key);
      this.map.set(req.key, hit);
      return hit;
    }
    this.misses++;
    const v = compute();
    const size = v.reduce((a, arr) => a + arr.byteLength, 0);
    this.map.set(req.key, v);
    this.bytes += size;
    for (const [k, old] of this.map) {
      if (this.bytes <= this.budget || k === req.key) break;
      this.map.delete(k);
      this.bytes -= old.reduce((a, arr) => a + arr.byteLength, 0);
    }
    return v;
  }
}
