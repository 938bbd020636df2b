import { describe, expect, it } from 'vitest';
import { type LeaderboardDocV1, leaderboardProblems, leaderboardToText, metricValue } from './leaderboard.js';

const doc: LeaderboardDocV1 = {
  version: 1,
  title: 'demo',
  sweep_id: null,
  params: ['fast', 'slow'],
  metrics: ['sharpe_ratio', 'max_drawdown'],
  stats: { trials: 2, dsr: 0.5, pbo: null },
  rows: [
    { rank: 1, gate: 'PASS', config_hash: 'abcdef0123456789', params: { fast: 5, slow: 20 }, metrics: { sharpe_ratio: 1.25, max_drawdown: 0.1 } },
    { rank: 2, gate: 'FAIL', config_hash: '0123456789abcdef', params: { fast: 10, slow: 20 }, metrics: { sharpe_ratio: null, max_drawdown: 0.6 } },
  ],
};

describe('leaderboard v1 document', () => {
  it('accepts a valid document', () => {
    expect(leaderboardProblems(doc)).toEqual([]);
  });

  it('names the path of every problem', () => {
    const bad = { ...doc, version: 2, rows: [{ ...doc.rows[0], gate: 'MAYBE', metrics: { sharpe_ratio: Number.NaN } }] };
    expect(leaderboardProblems(bad)).toEqual(['$.version: must be 1', '$.rows[0].gate: must be PASS, MARGINAL or FAIL', '$.rows[0].metrics: must map names to finite numbers or null']);
    expect(leaderboardProblems([])).toEqual(['$: not an object']);
  });

  it('renders an aligned text table with the stats line (hand-checked layout)', () => {
    const text = leaderboardToText(doc).split('\n');
    expect(text[0]).toBe('demo — trials 2, DSR 0.5000, PBO n/a');
    expect(text[1]).toBe('#  gate  fast  slow  sharpe_ratio  max_drawdown  config_hash');
    expect(text[2]).toBe('1  PASS  5     20    1.2500        0.1000        abcdef012345');
    expect(text[3]).toBe('2  FAIL  10    20    —             0.6000        0123456789ab');
  });

  it('shows a null profit_factor as ∞ (winners, no loser) and any other null metric as —', () => {
    const d: LeaderboardDocV1 = { ...doc, metrics: ['sharpe_ratio', 'profit_factor'], rows: [{ rank: 1, gate: 'PASS', config_hash: 'abcdef0123456789', params: { fast: 5, slow: 20 }, metrics: { sharpe_ratio: null, profit_factor: null } }] };
    expect(leaderboardProblems(d)).toEqual([]);
    expect(leaderboardToText(d).split('\n')[2]).toBe('1  PASS  5     20    —             ∞              abcdef012345');
    expect(metricValue('profit_factor', null)).toBe(Number.POSITIVE_INFINITY);
    expect(metricValue('sharpe_ratio', null)).toBeNull();
    expect(metricValue('profit_factor', 1.5)).toBe(1.5);
  });
});
