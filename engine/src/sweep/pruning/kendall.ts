/**
 * Kendall-τ early stop (REQUIREMENTS.md, Sweeps): every W completed combinations (in combination
 * order, so the decision does not depend on the number of workers), take the top N by Sharpe
 * (ties by combination index) and compare it with the previous check's top N by Kendall's τ-b over
 * the union of both lists, each combination scored at each check by its Sharpe if it had completed
 * by then, −∞ otherwise (newcomers tie at the bottom of the earlier ranking). Stop after M
 * consecutive checks with τ >= threshold. Defaults N = 10, W = 100, M = 3, threshold 0.95.
 */
export interface KendallStopOptions {
  readonly topN?: number;
  readonly window?: number;
  readonly checks?: number;
  readonly threshold?: number;
}

/** Kendall's τ-b of two paired score vectors (O(n²); n is at most 2·N). NaN when undefined. */
export function kendallTauB(x: readonly number[], y: readonly number[]): number {
  let concordant = 0;
  let discordant = 0;
  let tiesX = 0;
  let tiesY = 0;
  const n = x.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign((x[i] ?? 0) - (x[j] ?? 0) || 0);
      const dy = Math.sign((y[i] ?? 0) - (y[j] ?? 0) || 0);
      // -Infinity - -Infinity is NaN: treat as a tie.
      const sx = Number.isNaN(dx) ? 0 : dx;
      const sy = Number.isNaN(dy) ? 0 : dy;
      if (sx === 0 && sy === 0) continue;
      if (sx === 0) { tiesX++; continue; }
      if (sy === 0) { tiesY++; continue; }
      if (sx === sy) concordant++;
      else discordant++;
    }
  }
  const denom = Math.sqrt((concordant + discordant + tiesX) * (concordant + discordant + tiesY));
  return denom > 0 ? (concordant - discordant) / denom : Number.NaN;
}

export interface KendallCheck { readonly done: number; readonly tau: number }

export class KendallEarlyStop {
  readonly topN: number;
  readonly window: number;
  readonly checks: number;
  readonly threshold: number;
  readonly history: KendallCheck[] = [];
  private readonly scores: number[] = [];
  private prevTop: number[] | undefined;
  private prevDone = 0;
  private streak = 0;
  stopped = false;

  constructor(opts: KendallStopOptions = {}) {
    this.topN = opts.topN ?? 10;
    this.window = opts.window ?? 100;
    this.checks = opts.checks ?? 3;
    this.threshold = opts.threshold ?? 0.95;
  }

  private top(): number[] {
    const idx = this.scores.map((_, i) => i).filter((i) => !Number.isNaN(this.scores[i] ?? Number.NaN));
    idx.sort((a, b) => ((this.scores[b] ?? 0) - (this.scores[a] ?? 0)) || (a - b));
    return idx.slice(0, this.topN);
  }

  /**
   * Feed the next combination's Sharpe (in combination order). Returns true when the sweep should
   * stop after this one.
   */
  push(sharpe: number): boolean {
    this.scores.push(sharpe);
    const done = this.scores.length;
    if (this.stopped || done % this.window !== 0) return this.stopped;
    const cur = this.top();
    if (this.prevTop !== undefined) {
      const union = [...new Set([...this.prevTop, ...cur])];
      const prevScore = (i: number): number => (i < this.prevDone ? (this.scores[i] ?? Number.NaN) : Number.NEGATIVE_INFINITY);
      const tau = kendallTauB(union.map(prevScore), union.map((i) => this.scores[i] ?? Number.NaN));
      this.history.push({ done, tau });
      this.streak = tau >= this.threshold ? this.streak + 1 : 0;
      if (this.streak >= this.checks) this.stopped = true;
    }
    this.prevTop = cur;
    this.prevDone = done;
    return this.stopped;
  }
}
