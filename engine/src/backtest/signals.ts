/**
 * Signals as the metrics-only simulator reads them: "where is the next entry (exit) signal from
 * bar t" and "is there one at bar t". Two implementations:
 * - `MaskSignals`: precomputed 0/1 masks (any rule), scanned four bars per step (scan.ts);
 * - `CrossPairSignals` (strategy/pair-signals.ts): a cross_above / cross_below pair over the same
 *   two series, answered straight from the series: no mask is written or scanned, and the bars
 *   the simulator jumps over are read once.
 * Both give exactly the signals of the rules' masks (a contract test runs one suite against both).
 */
import { maskWords, nextOne } from './scan.js';

export interface SignalSource {
  /** Number of bars. */
  readonly length: number;
  /** First bar >= from whose entry signal is 1, or `length` when there is none. */
  nextEntry(from: number): number;
  /** First bar >= from whose exit signal is 1, or `length` when there is none. */
  nextExit(from: number): number;
  /** The entry signal at bar t (0 <= t < length). */
  entryAt(t: number): boolean;
  /** The exit signal at bar t (0 <= t < length). */
  exitAt(t: number): boolean;
  /** Both signals as 0/1 masks (the general loop and recording runs read masks). */
  masks(): { readonly entry: Uint8Array; readonly exit: Uint8Array };
}

/** Signals from masks: 1 = signal; any other byte is none (as `indexOf(1)` reads them). */
export class MaskSignals implements SignalSource {
  readonly length: number;
  private readonly entryWords: Int32Array | undefined;
  private readonly exitWords: Int32Array | undefined;

  constructor(
    readonly entry: Uint8Array,
    readonly exit: Uint8Array,
  ) {
    if (exit.length !== entry.length) throw new RangeError(`signal masks differ in length (${entry.length} and ${exit.length})`);
    this.length = entry.length;
    this.entryWords = maskWords(entry);
    this.exitWords = maskWords(exit);
  }

  nextEntry(from: number): number {
    return nextOne(this.entry, this.entryWords, from);
  }
  nextExit(from: number): number {
    return nextOne(this.exit, this.exitWords, from);
  }
  entryAt(t: number): boolean {
    return this.entry[t] === 1;
  }
  exitAt(t: number): boolean {
    return this.exit[t] === 1;
  }
  masks(): { readonly entry: Uint8Array; readonly exit: Uint8Array } {
    return { entry: this.entry, exit: this.exit };
  }
}
