/**
 * Every file in the shared real-data folder imports; row counts and first/last timestamps are
 * checked against an independent reading of the file text (line count minus header; Date.parse of
 * the first and last lines), and every bar satisfies the Bars invariants.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importBars } from './import.js';
import { barsInvariantProblem } from './make.js';
import { realDataDir } from './real-data.js';

const dir = realDataDir();
const files = readdirSync(dir).filter((f) => f.endsWith('.csv')).sort();

/** Expected intervals from PROVENANCE.md's "bars" column. */
const EXPECTED_INTERVAL: Record<string, string> = {
  'sp500_daily_1999_2018.csv': '1d', 'msft_daily_2003.csv': '1d', 'vix_ohlc_daily_2009.csv': '1d',
  'eurusd_h1_2017_2018.csv': '1h', 'btcusd_monthly_2012_2024.csv': '1mo', 'orcl_daily_1995_2014.csv': '1d',
  'yhoo_daily_1996_2015.csv': '1d', 'nvda_daily_1999_2014.csv': '1d', 'stoxx50e_daily_2005_2006.csv': '1d',
  'fesx_daily_2006.csv': '1d', 'stoxx50e_5min_2006_01.csv': '5m', 'fesx_1min_2006_01_02.csv': '1m',
  'ethbtc_5m_2018_01.csv': '5m', 'adabtc_5m_2018_01.csv': '5m', 'unittestbtc_1m_2017_11.csv': '1m',
  'btcperp_1m_2022_01.csv': '1m', 'gbpusd_m1_bid_2012_02.csv': '1m', 'usdjpy_m1_bid_2013_02.csv': '1m',
  '6eh4_1m_2024_01.csv': '1m', 'eurusd_m1_2017h1.csv': '1m',
};

describe('real data: every file imports', () => {
  it('finds the shared files', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(Object.keys(EXPECTED_INTERVAL).every((f) => files.includes(f))).toBe(true);
  });

  for (const f of files) {
    it(f, async () => {
      const path = join(dir, f);
      const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
      const first = (lines[1] ?? '').split(',');
      const last = (lines[lines.length - 1] ?? '').split(',');
      const r = await importBars(path);
      expect(r.bars.length).toBe(lines.length - 1);
      expect(barsInvariantProblem(r.bars)).toBeUndefined();
      // Date.parse reads `YYYY-MM-DD` as UTC midnight and `...Z` as UTC: an independent parser.
      expect(r.bars.ts[0]).toBe(Date.parse(first[0] ?? ''));
      expect(r.bars.ts[r.bars.length - 1]).toBe(Date.parse(last[0] ?? ''));
      expect(r.bars.close[r.bars.length - 1]).toBe(Number(last[4]));
      expect(r.hasVolume).toBe((first[5] ?? '') !== '');
      const expected = EXPECTED_INTERVAL[f];
      if (expected !== undefined) expect(r.bars.interval).toBe(expected);
    });
  }
});
