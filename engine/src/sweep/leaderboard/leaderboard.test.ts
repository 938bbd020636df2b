import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.js';
import { autoHeatmap } from './heatmap.js';
import type { ParamValue } from '../space/domain.js';
import { heatmap } from './heatmap.js';
import { compareRows, leaderboardEntries, rankResults } from './rank.js';
import { METRIC_KEYS, type ComboResult, type SweepMetrics } from './types.js';

function metrics(sharpe: number, ret: number): SweepMetrics {
  const m: Record<string, number> = {};
  for (const k of METRIC_KEYS) m[k] = 0;
  return { ...m, sharpe_ratio: sharpe, total_return: ret, total_trades: 25 } as SweepMetrics;
}
function row(id: number, params: Record<string, number | string>, sharpe: number, ret: number, hash: string, failed = false): ComboResult {
  return { combo_id: id, params, config_hash: hash, metrics: failed ? undefined : metrics(sharpe, ret), gate: { status: failed ? 'FAIL' : 'PASS', checks: [] }, kept: true, rank: 0 };
}

describe('leaderboard', () => {
  it('ranks by Sharpe, then total_return, then combo_id; NaN and failures last', () => {
    // By hand: 1 (Sharpe 2); Sharpe 1.0: 2 (return 0.2), then 0 and 3 (return 0.1) by combo_id even though 3's
    // config_hash sorts first; NaN Sharpe (4), failure (5).
    const rows = [
      row(0, { a: 1 }, 1.0, 0.1, 'cc'),
      row(1, { a: 2 }, 2.0, 0.1, 'bb'),
      row(2, { a: 3 }, 1.0, 0.2, 'dd'),
      row(3, { a: 4 }, 1.0, 0.1, 'aa'),
      row(4, { a: 5 }, Number.NaN, 0.5, 'ee'),
      row(5, { a: 6 }, 0, 0, 'ff', true),
    ];
    const ranked = rankResults(rows);
    expect(ranked.map((r) => r.combo_id)).toEqual([1, 2, 0, 3, 4, 5]);
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    // Input order does not matter.
    expect(rankResults(rows.slice().reverse()).map((r) => r.combo_id)).toEqual([1, 2, 0, 3, 4, 5]);
    const e = leaderboardEntries('sw1', ranked)[0];
    expect(e).toMatchObject({ sweep_id: 'sw1', rank: 1, combo_id: 1, sharpe: 2, return: 0.1, trades: 25, gate_status: 'PASS', config_hash: 'bb' });
  });
  it('exports CSV with params, every BacktestMetrics key, gate and config_hash; numbers round-trip', () => {
    const r = row(0, { fast: 5, mode: 'a,"b"' }, 1 / 3, 0.1 + 0.2, 'h0');
    const csv = toCsv(['fast', 'mode'], rankResults([r]));
    const [header, line] = csv.trimEnd().split('\n');
    expect(header).toBe(['rank', 'combo_id', 'fast', 'mode', ...METRIC_KEYS, 'gate', 'kept', 'config_hash', 'error'].join(','));
    expect(line).toContain('"a,""b"""');
    const cells = (line ?? '').replace('"a,""b"""', 'X').split(',');
    expect(Number(cells[4 + METRIC_KEYS.indexOf('sharpe_ratio')])).toBe(1 / 3);
    expect(Number(cells[4 + METRIC_KEYS.indexOf('total_return')])).toBe(0.1 + 0.2);
    expect(cells.slice(-4)).toEqual(['PASS', 'true', 'h0', '']);
  });
  it('gives heatmap data when exactly two parameters vary', () => {
    const rows = [row(0, { f: 2, s: 10, k: 1 }, 0.5, 0, 'a'), row(1, { f: 3, s: 10, k: 1 }, 0.7, 0, 'b'), row(2, { f: 2, s: 20, k: 1 }, 0.9, 0, 'c')];
    const h = autoHeatmap(['f', 's', 'k'], rows);
    expect(h).toEqual({ x: 'f', y: 's', metric: 'sharpe_ratio', x_values: [2, 3], y_values: [10, 20], z: [[0.5, 0.7], [0.9, null]] });
    expect(autoHeatmap(['f'], rows)).toBeUndefined();
  });
});

describe('leaderboard MIME document', () => {
  it('is a valid application/vnd.sigmatiq.leaderboard.v1+json document', async () => {
    const { leaderboardProblems } = await import('../../mime/leaderboard.js');
    const { toLeaderboardDoc } = await import('./doc.js');
    const ranked = rankResults([row(0, { a: 1 }, 1, 0.1, 'x'), row(1, { a: 2 }, Number.NaN, 0.2, 'y')]);
    const doc = toLeaderboardDoc({ sweep_id: 's', params: ['a'], results: ranked, statistics: { trials: 2, dsr: { dsr: 0.7 }, pbo: null } });
    expect(leaderboardProblems(doc)).toEqual([]);
    expect(doc.rows[1]?.metrics['sharpe_ratio']).toBeNull();
    expect(doc.stats).toEqual({ trials: 2, dsr: 0.7, pbo: null });
  });
});

describe('ranking properties (fast-check)', () => {
  it('is a total order independent of the input order, Sharpe descending among finite values', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(
        fc.array(fc.record({ s: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(Number.NaN)), r: fc.integer({ min: -2, max: 2 }) }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 1000 }),
        (specs, seed) => {
          const rows = specs.map((x, i) => row(i, { i }, x.s, x.r, `h${String(i).padStart(3, '0')}`));
          const shuffled = rows.slice().sort((p, q) => ((p.combo_id * 7919 + seed) % 31) - ((q.combo_id * 7919 + seed) % 31));
          const a = rankResults(rows).map((x) => x.combo_id);
          const b = rankResults(shuffled).map((x) => x.combo_id);
          expect(b).toEqual(a);
          const sharpes = a.map((id) => specs[id]?.s ?? Number.NaN).filter((v) => !Number.isNaN(v));
          for (let i = 1; i < sharpes.length; i++) expect((sharpes[i - 1] ?? 0) >= (sharpes[i] ?? 0)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('rankResults against compareRows (fast-check)', () => {
  // Oracle: compareRows (the one rule, on the row objects through desc()), with Array sort;
  // rankResults sorts typed-array keys with NaN flags instead. Values include -0, ±Infinity,
  // NaN and failed rows, and duplicate keys (the combo_id decides).
  it('gives the order of a sort by compareRows, ranks 1..n', async () => {
    const fc = (await import('fast-check')).default;
    const v = fc.constantFrom(0, -0, 1, -1, 0.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN);
    fc.assert(
      fc.property(fc.array(fc.record({ s: v, r: v, failed: fc.boolean() }), { maxLength: 40 }), fc.integer({ min: 0, max: 1000 }), (specs, seed) => {
        const rows = specs.map((x, i) => row(i, { i }, x.s, x.r, `h${i}`, x.failed));
        const input = rows.slice().sort((p, q) => ((p.combo_id * 7919 + seed) % 37) - ((q.combo_id * 7919 + seed) % 37));
        const want = input.slice().sort(compareRows).map((r) => r.combo_id);
        const got = rankResults(input);
        expect(got.map((r) => r.combo_id)).toEqual(want);
        expect(got.map((r) => r.rank)).toEqual(got.map((_, i) => i + 1));
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * Oracle for heatmap(): the definition written out (values grouped by SameValueZero, the last
 * occurrence's value kept, numbers sorted ascending; z = the first of the largest non-NaN metric).
 */
function refHeatmap(rows: readonly ComboResult[], x: string, y: string): unknown {
  const values = (name: string): ParamValue[] => {
    const out: ParamValue[] = [];
    for (const r of rows) {
      const val = r.params[name];
      if (val === undefined) continue;
      const k = out.findIndex((u) => u === val || (typeof u === 'number' && typeof val === 'number' && Number.isNaN(u) && Number.isNaN(val)));
      if (k >= 0) out.splice(k, 1, val); else out.push(val);
    }
    const nums = out.filter((u): u is number => typeof u === 'number');
    return nums.length === out.length ? nums.sort((a, b) => a - b) : out;
  };
  const xs = values(x);
  const ys = values(y);
  const z = ys.map((vy) => xs.map((vx) => {
    let best: number | null = null;
    for (const r of rows) {
      const m = r.metrics?.sharpe_ratio;
      if (r.params[x] !== vx || r.params[y] !== vy || m === undefined || Number.isNaN(m)) continue;
      if (best === null || m > best) best = m;
    }
    return best;
  }));
  return { x, y, metric: 'sharpe_ratio', x_values: xs, y_values: ys, z };
}

describe('heatmap against its definition (fast-check)', () => {
  it('numeric parameters (the binary-search path) and mixed ones (the Map path) give the definition', async () => {
    const fc = (await import('fast-check')).default;
    const metric = fc.constantFrom(0, -0, 1, 2, -1, Number.NaN, Number.POSITIVE_INFINITY);
    const num = fc.constantFrom(1, 2, 3, 2.5, 10, -4, Number.POSITIVE_INFINITY);
    const mixed = fc.oneof(num, fc.constantFrom('a', 'b'), fc.constant(0), fc.constant(-0));
    for (const value of [num, mixed]) {
      fc.assert(
        fc.property(fc.array(fc.record({ a: value, b: value, m: metric, failed: fc.boolean() }), { maxLength: 40 }), (specs) => {
          const rows = specs.map((sp, i) => row(i, { a: sp.a, b: sp.b }, sp.m, 0, `h${i}`, sp.failed));
          const got = heatmap(rows, 'a', 'b');
          const want = refHeatmap(rows, 'a', 'b');
          // toStrictEqual: -0 differs from 0 (the kept value and the max must be the same bits).
          expect(got).toStrictEqual(want);
        }),
        { numRuns: 300 },
      );
    }
  });
});
