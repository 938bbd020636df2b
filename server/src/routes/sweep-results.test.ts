import { describe, expect, it } from 'vitest';
import { leaderboardJson } from './sweep-results.js';

// Oracle: JSON.stringify of the leaderboard object built field by field, as the route answered before it
// serialized by hand (the params column holds JSON.stringify output, so it is parsed here for the oracle).
function oracle(sweepId: string, rows: unknown[][], firstRank: number | null, limit: number, offset: number): string {
  const items = rows.map((r, i) => {
    const k = firstRank === null ? 1 : 0;
    return {
      rank: firstRank === null ? Number(r[0]) : firstRank + 1 + i, combo_id: Number(r[k]), sharpe: Number(r[k + 1]), return: Number(r[k + 2]),
      trades: Number(r[k + 3]), max_drawdown: Number(r[k + 4]), gate_status: r[k + 5], config_hash: r[k + 6],
      params: JSON.parse(String(r[k + 7])) as unknown,
    };
  });
  return JSON.stringify({ sweep_id: sweepId, items, limit, offset });
}

describe('leaderboardJson', () => {
  const params = (p: unknown): string => JSON.stringify(p);
  const rows: unknown[][] = [
    [7, 2.499411065131426, -0.1, 12, 0.3, 'PASS', 'ab'.repeat(32), params({ rsi: 14, name: 'q"uote\\ \u2028 é', nested: { a: [1, 2.5e-7, null] } })],
    [3, -0, 1e21, 0, 5e-324, 'MARGINAL', 'cd'.repeat(32), params({})],
    [9, Number.NaN, Number.POSITIVE_INFINITY, 1, 0, 'FAIL', 'ef'.repeat(32), params({ x: 'a' })],
  ];

  it('writes what JSON.stringify writes (ranks from the offset, escapes, -0, exponents, non-finite -> null)', () => {
    expect(leaderboardJson('s-1', rows, 40, 50, 40)).toBe(oracle('s-1', rows, 40, 50, 40));
    expect(leaderboardJson('s"2', [], 0, 1, 0)).toBe(oracle('s"2', [], 0, 1, 0));
  });

  it('takes the rank from the first column for window-ranked rows', () => {
    const ranked = rows.map((r, i) => [i * 10 + 5, ...r]);
    const text = leaderboardJson('s', ranked, null, 3, 0);
    expect(text).toBe(oracle('s', ranked, null, 3, 0));
    expect((JSON.parse(text) as { items: { rank: number }[] }).items.map((i) => i.rank)).toEqual([5, 15, 25]);
  });
});
