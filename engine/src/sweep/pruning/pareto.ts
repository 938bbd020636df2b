/**
 * Pareto pruning on (Sharpe ↑, −max drawdown ↑, trades ↑) (REQUIREMENTS.md, Sweeps).
 * Combination a dominates b when a is at least as good on all three objectives and strictly better
 * on one. A combination is kept when no other dominates it; a combination with a NaN objective is
 * never kept (and dominates nothing). Pruned rows stay in the results with `kept = false`.
 */
export interface ParetoObjectives {
  readonly sharpe_ratio: number;
  readonly max_drawdown: number;
  readonly total_trades: number;
}

export function dominates(a: ParetoObjectives, b: ParetoObjectives): boolean {
  const ge = a.sharpe_ratio >= b.sharpe_ratio && a.max_drawdown <= b.max_drawdown && a.total_trades >= b.total_trades;
  const gt = a.sharpe_ratio > b.sharpe_ratio || a.max_drawdown < b.max_drawdown || a.total_trades > b.total_trades;
  return ge && gt;
}

function valid(o: ParetoObjectives): boolean {
  return !Number.isNaN(o.sharpe_ratio) && !Number.isNaN(o.max_drawdown) && !Number.isNaN(o.total_trades);
}

/**
 * `kept[i]` is true when row i is on the Pareto front. Sort by Sharpe descending (then the other
 * objectives) so a row can only be dominated by one before it: O(n · front) comparisons.
 */
export function paretoFront(rows: readonly ParetoObjectives[]): boolean[] {
  const kept = new Array<boolean>(rows.length).fill(false);
  const order = rows.map((_, i) => i).filter((i) => valid(rows[i] as ParetoObjectives));
  order.sort((i, j) => {
    const a = rows[i] as ParetoObjectives;
    const b = rows[j] as ParetoObjectives;
    return (b.sharpe_ratio - a.sharpe_ratio) || (a.max_drawdown - b.max_drawdown) || (b.total_trades - a.total_trades) || (i - j);
  });
  const front: number[] = [];
  for (const i of order) {
    const r = rows[i] as ParetoObjectives;
    if (front.some((f) => dominates(rows[f] as ParetoObjectives, r))) continue;
    front.push(i);
    kept[i] = true;
  }
  return kept;
}
