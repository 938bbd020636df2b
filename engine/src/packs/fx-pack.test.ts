/**
 * The intraday FX pack is honest about its status: on the longest real intraday EUR/USD file it
 * FAILS validation with PACK_SANITY_SHORT_HISTORY (REQUIREMENTS.md: the sanity backtest needs >= 1
 * year; 5,000 hourly bars are 0.80 years at 260 days x 24 h). Nothing may turn that into a PASS by
 * tuning the calendar.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validatePackOnData } from './sanity-data.js';
import { validatePackYaml } from './validate.js';

const FILE = resolve(__dirname, '../../../packs/fx-intraday-mean-reversion.yaml');

describe('fx-intraday-mean-reversion', () => {
  it('has no schema or rule problems before the sanity backtest (static checks only)', () => {
    const r = validatePackYaml(readFileSync(FILE, 'utf8'), { file: FILE });
    expect(r.errors).toEqual([]);
    expect(r.sanity ?? []).toEqual([]);
  });

  it('FAILS the sanity backtest on eurusd_h1_2017_2018.csv: too short a history', async () => {
    const r = await validatePackOnData('fx-intraday-mean-reversion', 'eurusd_h1_2017_2018.csv');
    expect(r.status).toBe('FAIL');
    expect(r.errors.map((e) => e.code)).toEqual(['PACK_SANITY_SHORT_HISTORY']);
    // 5,000 bars / (260 days x 24 bars) = 0.8013 years (hand computation), as the message says.
    expect(r.errors[0]?.message).toContain('5000 bars = 0.801 years (6240 bars a year)');
  });

  it('keeps the honest spot-FX calendar (260 days, 24-hour sessions)', () => {
    const text = readFileSync(FILE, 'utf8');
    expect(text).toMatch(/trading_days_per_year: 260\n\s+session_minutes: 1440/);
  });
});
