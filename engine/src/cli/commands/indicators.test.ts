// Oracle for the CSV: the registered indicators computed directly on the same imported bars
// (TA-Lib-verified in engine/src/indicators/talib.test.ts); every cell must parse back to the
// identical float64 (Object.is), and warm-up cells must be empty.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { importBars, importToSnapshot, realDataDir } from '../../data/index.js';
import { getIndicator } from '../../indicators/index.js';
import { runCli } from '../run.js';
import { formatCell } from './indicators.js';

const SPEC = 'sma(20),ema(20),rsi(14),macd(12,26,9),bbands(20,2),atr(14),adx(14)';
const ISSUE_COLUMNS = ['ts', 'sma_20', 'ema_20', 'rsi_14', 'macd_12_26_9', 'macd_signal_12_26_9', 'macd_hist_12_26_9', 'bb_upper_20_2', 'bb_middle_20_2', 'bb_lower_20_2', 'atr_14', 'adx_14', 'plus_di_14', 'minus_di_14'];

const dir = mkdtempSync(join(tmpdir(), 'sigmatiq-indicators-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l) };
}

describe('formatCell', () => {
  it('round-trips every float64 to the same bits (fast-check), NaN as empty', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => {
        expect(Object.is(Number(formatCell(x)), x)).toBe(true);
      }),
      { numRuns: 5000 },
    );
    for (const x of [-0, 0, 5e-324, Number.MAX_VALUE, 0.1 + 0.2, 1e21, -1.5e-7]) expect(Object.is(Number(formatCell(x)), x)).toBe(true);
    expect(formatCell(NaN)).toBe('');
  });
});

describe.each(['msft_daily_2003.csv', 'eurusd_h1_2017_2018.csv', 'gbpusd_m1_bid_2012_02.csv'])('sigmatiq indicators on %s', (file) => {
  it('writes the issue column names, empty warm-up cells and bit-exact numbers', async () => {
    const input = join(realDataDir(), file);
    const out = join(dir, `${file}.out.csv`);
    const io = capture();
    const code = await runCli(['indicators', input, '--spec', SPEC, '--out', out], io);
    expect(io.err).toEqual([]);
    expect(code).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines[0]?.split(',')).toEqual(ISSUE_COLUMNS);

    const { bars } = await importBars(input);
    expect(lines).toHaveLength(bars.length + 1);
    const expected: Float64Array[] = [];
    for (const [name, params] of [
      ['sma', { period: 20 }],
      ['ema', { period: 20 }],
      ['rsi', { period: 14 }],
      ['macd', { fast: 12, slow: 26, signal: 9 }],
      ['bbands', { period: 20, stddev: 2 }],
      ['atr', { period: 14 }],
      ['adx', { period: 14 }],
    ] as const) {
      const def = getIndicator(name);
      if (def === undefined) throw new Error(name);
      expected.push(...def.compute(bars, params));
    }
    for (let i = 0; i < bars.length; i++) {
      const cells = (lines[i + 1] ?? '').split(',');
      if (cells[0] !== new Date(bars.ts[i] as number).toISOString()) throw new Error(`row ${i}: ts ${cells[0]}`);
      expected.forEach((col, k) => {
        const want = col[i] as number;
        const cell = cells[k + 1] ?? 'missing';
        const ok = Number.isNaN(want) ? cell === '' : cell !== '' && Object.is(Number(cell), want);
        if (!ok) throw new Error(`row ${i} column ${ISSUE_COLUMNS[k + 1]}: cell "${cell}", value ${want}`);
      });
    }
    // Warm-up: adx_14 is empty for the first 27 rows and filled from row 27 (2·14−1).
    const adxCol = ISSUE_COLUMNS.indexOf('adx_14');
    expect(lines[27]?.split(',')[adxCol]).toBe('');
    if (bars.length > 27) expect(lines[28]?.split(',')[adxCol]).not.toBe('');
  });
});

describe('sigmatiq indicators: inputs and errors', () => {
  it('reads a snapshot hash from the store and prints to stdout without --out', async () => {
    const env = { SIGMATIQ_DATA_DIR: join(dir, 'store') };
    const { record } = await importToSnapshot(join(realDataDir(), 'vix_ohlc_daily_2009.csv'), { storeDir: join(dir, 'store', 'snapshots') });
    const io = capture();
    const code = await runCli(['indicators', record.hash, '--spec', 'sma(high, 5),obv,vwap'], io, { env, cwd: dir });
    expect(io.err).toEqual([]);
    expect(code).toBe(0);
    expect(io.out[0]).toBe('ts,sma_high_5,obv,vwap');
    expect(io.out).toHaveLength(45);
    expect(io.out[1]?.split(',')[1]).toBe('');
    expect(io.out[5]?.split(',')[1]).not.toBe('');
  });

  it.each([
    ['sma(20),,ema(5)', 'ERROR INDICATOR_SPEC', 'column 9'],
    ['sma(20), foo(3)', 'ERROR INDICATOR_UNKNOWN', 'column 10'],
    ['sma(20),rsi(1)', 'ERROR INDICATOR_PARAM', 'column 13'],
    ['macd(26,12,9)', 'ERROR INDICATOR_PARAM', 'param fast'],
    ['sma(20', 'ERROR INDICATOR_SPEC', 'column 7'],
  ])('spec %j fails with one line naming the code and column', async (spec, code, where) => {
    const io = capture();
    const exit = await runCli(['indicators', join(realDataDir(), 'msft_daily_2003.csv'), '--spec', spec], io);
    expect(exit).toBe(1);
    expect(io.err).toHaveLength(1);
    expect(io.err[0]).toContain(code);
    expect(io.err[0]).toContain(where);
    expect(io.out).toEqual([]);
  });

  it('fails on a missing file with DATA_FILE_NOT_FOUND and writes nothing', async () => {
    const io = capture();
    const out = join(dir, 'never.csv');
    const exit = await runCli(['indicators', join(dir, 'nope.csv'), '--spec', 'sma(5)', '--out', out], io);
    expect(exit).toBe(1);
    expect(io.err[0]).toMatch(/^ERROR DATA_FILE_NOT_FOUND/);
    expect(() => readFileSync(out)).toThrow();
  });
});
