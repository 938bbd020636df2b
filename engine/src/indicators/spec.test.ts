import { describe, expect, it } from 'vitest';
import { isSigmatiqError } from '../errors.js';
import { parseIndicatorSpec } from './index.js';

function fail(text: string): { code: string; column: unknown; param: unknown } {
  try {
    parseIndicatorSpec(text);
  } catch (err) {
    if (isSigmatiqError(err)) return { code: err.code, column: err.details?.['column'], param: err.details?.['param'] };
    throw err;
  }
  throw new Error(`"${text}" parsed`);
}

describe('parseIndicatorSpec', () => {
  it("gives the issue's column names for the issue's spec", () => {
    const items = parseIndicatorSpec('sma(20),ema(20),rsi(14),macd(12,26,9),bbands(20,2),atr(14),adx(14)');
    expect(items.flatMap((i) => i.columns)).toEqual([
      'sma_20', 'ema_20', 'rsi_14', 'macd_12_26_9', 'macd_signal_12_26_9', 'macd_hist_12_26_9',
      'bb_upper_20_2', 'bb_middle_20_2', 'bb_lower_20_2', 'atr_14', 'adx_14', 'plus_di_14', 'minus_di_14',
    ]);
    expect(items.map((i) => i.column)).toEqual([1, 9, 17, 25, 39, 52, 60]);
  });

  it('accepts named arguments, defaults, a source field, bare names and whitespace', () => {
    const items = parseIndicatorSpec(' bbands(period = 10, stddev=2.5) , SMA( high , 5 ), obv, stoch, volume_ma()');
    expect(items.map((i) => i.columns)).toEqual([
      ['bb_upper_10_2p5', 'bb_middle_10_2p5', 'bb_lower_10_2p5'],
      ['sma_high_5'],
      ['obv'],
      ['stoch_k_14_3_3', 'stoch_d_14_3_3'],
      ['volume_ma_20'],
    ]);
    expect(items[1]?.source).toBe('high');
    expect(items[0]?.params).toEqual({ period: 10, stddev: 2.5 });
  });

  it('locates errors by column', () => {
    expect(fail('')).toMatchObject({ code: 'INDICATOR_SPEC', column: 1 });
    expect(fail('sma(20),')).toMatchObject({ code: 'INDICATOR_SPEC', column: 9 });
    expect(fail('sma(20) ema(3)')).toMatchObject({ code: 'INDICATOR_SPEC', column: 9 });
    expect(fail('sma(x)')).toMatchObject({ code: 'INDICATOR_SPEC', column: 5 });
    expect(fail('rsi(14), nope(2)')).toMatchObject({ code: 'INDICATOR_UNKNOWN', column: 10 });
    expect(fail('rsi(14, 3)')).toMatchObject({ code: 'INDICATOR_PARAM', column: 9 });
    expect(fail('bbands(20, -1)')).toMatchObject({ code: 'INDICATOR_PARAM', column: 12, param: 'stddev' });
    expect(fail('atr(len=3)')).toMatchObject({ code: 'INDICATOR_PARAM', column: 5, param: 'len' });
    expect(fail('adx(high, 14)')).toMatchObject({ code: 'INDICATOR_SPEC', column: 5 });
  });
});
