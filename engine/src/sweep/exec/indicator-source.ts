/**
 * A worker's indicator store for one sweep: each distinct indicator computation (the strategy
 * compiler's requirement key: indicator, resolved parameters, inputs) is computed once and shared
 * by every combination the worker runs, up to a byte budget; beyond it the least recently used
 * entries are dropped (recomputed if needed again), so memory stays bounded whatever the number of
 * combinations. The bars are fixed for a sweep, so the key identifies the values.
 *
 * With a `ScanArena` (strategy/scan-wasm.ts), values of the bars' length are kept in the arena's
 * WebAssembly memory (copied there once, when computed), so the crossover scan kernel can read them
 * in place. An arena slot is reused after its entry is dropped, so the entries the current
 * combination has used are pinned: `beginCombination` starts a new one, and an arena entry used
 * since is never dropped (when every slot is pinned, a value stays a plain array). Memory stays
 * bounded: the arena is fixed, and the byte budget covers everything.
 */
import type { IndicatorRequirement, IndicatorSource } from '../../strategy/index.js';
import type { ScanArena } from '../../strategy/scan-wasm.js';

interface Entry {
  readonly values: readonly Float64Array[];
  readonly bytes: number;
  /** Whether some value sits in an arena slot. */
  readonly inArena: boolean;
  /** The combination that used it last. */
  used: number;
  /** When it was used last (the store's clock): the least recently used entry goes first. */
  tick: number;
}

export class BoundedIndicatorSource implements IndicatorSource {
  private readonly map = new Map<string, Entry>();
  private bytes = 0;
  private combination = 0;
  private clock = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly budget: number, readonly arena?: ScanArena) {}

  /** Starts the next combination: from here on, only what it uses is pinned. */
  beginCombination(): void {
    this.combination++;
  }

  get(req: IndicatorRequirement, compute: () => readonly Float64Array[]): readonly Float64Array[] {
    const hit = this.map.get(req.key);
    if (hit !== undefined) {
      this.hits++;
      hit.used = this.combination;
      hit.tick = ++this.clock;
      return hit.values;
    }
    this.misses++;
    const computed = compute();
    const size = computed.reduce((a, arr) => a + arr.byteLength, 0);
    while (this.bytes + size > this.budget && this.dropOldest()) {
      // dropped one
    }
    let inArena = false;
    const values = computed.map((a) => {
      const slot = this.slotFor(a);
      if (slot === null) return a;
      slot.set(a);
      inArena = true;
      return slot;
    });
    this.map.set(req.key, { values, bytes: size, inArena, used: this.combination, tick: ++this.clock });
    this.bytes += size;
    return values;
  }

  /** An arena slot for a copy of `a` (dropping older entries for it), or null to keep `a` itself. */
  private slotFor(a: Float64Array): Float64Array | null {
    const arena = this.arena;
    if (arena === undefined || a.length !== arena.slotLength) return null;
    let slot = arena.alloc();
    while (slot === null && this.dropOldest(true)) slot = arena.alloc();
    return slot;
  }

  /**
   * Drops the least recently used entry that may go (`arenaOnly`: one holding arena slots); false
   * when none. A scan of the entries (a hit only stamps its entry; drops are rare next to hits).
   */
  private dropOldest(arenaOnly = false): boolean {
    let key: string | undefined;
    let oldest: Entry | undefined;
    for (const [k, e] of this.map) {
      if (e.inArena && e.used === this.combination) continue; // pinned: the current combination reads it
      if (arenaOnly && !e.inArena) continue;
      if (oldest === undefined || e.tick < oldest.tick) {
        key = k;
        oldest = e;
      }
    }
    if (key === undefined || oldest === undefined) return false;
    this.map.delete(key);
    this.bytes -= oldest.bytes;
    if (oldest.inArena) for (const v of oldest.values) this.arena?.release(v);
    return true;
  }
}
