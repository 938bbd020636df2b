import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectoryResultStore, MemoryResultStore, type BacktestSummary, type ResultStore } from './store.js';

const H1 = 'a'.repeat(64);
const H2 = 'b'.repeat(64);

function summary(run_hash: string, total_return: number): BacktestSummary {
  return {
    total_return,
    annualized_return: 0.1,
    sharpe_ratio: 1.5,
    sortino_ratio: 2,
    max_drawdown: 0.2,
    win_rate: 0.5,
    profit_factor: 1.2,
    total_trades: 3,
    avg_trade_duration_days: 4,
    best_trade: 0.1,
    worst_trade: -0.05,
    avg_winner: 0.07,
    avg_loser: -0.05,
    calmar_ratio: 0.5,
    exposure: 0.4,
    run_hash,
    data_hash: 'c'.repeat(64),
    engine_version: '0.1.0',
    bars: 100,
    trades: 3,
    status: { BAR_INVALID: 0, ORDER_DEFERRED: 0, ORDER_BELOW_MIN: 0, SIZE_UNAVAILABLE: 0, OUTSIDE_HOURS: 0, ORDER_EXPIRED: 0, RUIN: 0 },
  };
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** One contract, every implementation. */
const IMPLEMENTATIONS: [string, () => Promise<ResultStore>][] = [
  ['MemoryResultStore', () => Promise.resolve(new MemoryResultStore())],
  [
    'DirectoryResultStore',
    async () => {
      const d = await mkdtemp(join(tmpdir(), 'sigmatiq-store-'));
      dirs.push(d);
      return new DirectoryResultStore(join(d, 'runs'));
    },
  ],
];

describe.each(IMPLEMENTATIONS)('ResultStore contract: %s', (_name, make) => {
  it('keeps an infinite profit factor (winners, no loser) through a put and a get', async () => {
    const s = await make();
    await s.put({ ...summary(H2, 0.3), profit_factor: Number.POSITIVE_INFINITY });
    expect((await s.get(H2))?.profit_factor).toBe(Number.POSITIVE_INFINITY);
  });

  it('get of an unknown hash is undefined', async () => {
    expect(await (await make()).get(H1)).toBeUndefined();
  });

  it('put then get returns an equal summary, keyed by run_hash', async () => {
    const s = await make();
    await s.put(summary(H1, 0.25));
    await s.put(summary(H2, -0.5));
    expect(await s.get(H1)).toEqual(summary(H1, 0.25));
    expect((await s.get(H2))?.total_return).toBe(-0.5);
  });

  it('numbers round-trip exactly', async () => {
    const s = await make();
    const v = 0.1 + 0.2; // 0.30000000000000004
    await s.put(summary(H1, v));
    expect(Object.is((await s.get(H1))?.total_return, v)).toBe(true);
  });

  it('returned values are copies', async () => {
    const s = await make();
    await s.put(summary(H1, 1));
    const a = (await s.get(H1)) as { total_return: number };
    a.total_return = 99;
    expect((await s.get(H1))?.total_return).toBe(1);
  });

  it('rejects malformed hashes with BACKTEST_STORE', async () => {
    const s = await make();
    await expect(s.get('../etc/passwd')).rejects.toMatchObject({ code: 'BACKTEST_STORE' });
    await expect(s.put(summary('XYZ', 0))).rejects.toMatchObject({ code: 'BACKTEST_STORE' });
  });
});

describe('DirectoryResultStore specifics', () => {
  it('a corrupt file is a BACKTEST_STORE error, not a silent miss', async () => {
    const d = await mkdtemp(join(tmpdir(), 'sigmatiq-store-'));
    dirs.push(d);
    await writeFile(join(d, `${H1}.json`), '{not json');
    await expect(new DirectoryResultStore(d).get(H1)).rejects.toMatchObject({ code: 'BACKTEST_STORE' });
  });
});
