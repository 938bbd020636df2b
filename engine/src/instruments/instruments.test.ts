import { describe, expect, it } from 'vitest';
import { minQuantity, notional, parseInstrument, pips, pointValue, quantityStep, roundPrice, roundQuantity } from './index.js';

const stock = parseInstrument({ kind: 'stock', symbol: 'MSFT', lotSize: 100 });
const es = parseInstrument({ kind: 'future', symbol: 'ESH4', contractCode: 'ES', multiplier: 50, tickSize: 0.25 });
const eurusd = parseInstrument({ kind: 'fx', symbol: 'EURUSD', base: 'EUR', quote: 'USD', pipSize: 0.0001, quantityStep: 0.01, minQuantity: 1000 });
const btc = parseInstrument({ kind: 'crypto', symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', quantityStep: 1e-8, minSize: 0.0001 });

describe('instrument schemas', () => {
  it('applies defaults', () => {
    expect(parseInstrument({ kind: 'stock', symbol: 'X' })).toMatchObject({ lotSize: 1, currency: 'USD' });
    expect(es).toMatchObject({ roll: { policy: 'front', strategy: 'calendar' } });
    const spec = parseInstrument({ kind: 'future', symbol: 'FESX', contractCode: 'FESX', multiplier: 10, tickSize: 1, currency: 'EUR', roll: { policy: 'specific', contract: 'FESXH6' } });
    expect(spec).toMatchObject({ roll: { policy: 'specific', contract: 'FESXH6' } });
  });

  it('rejects invalid specs with the field, and the reserved option kind', () => {
    const bad: [unknown, string][] = [
      [{ kind: 'stock', symbol: 'X', lotSize: 0 }, 'lotSize'],
      [{ kind: 'stock', symbol: 'X', lotSize: 1.5 }, 'lotSize'],
      [{ kind: 'future', symbol: 'X', contractCode: 'X', multiplier: -1, tickSize: 1 }, 'multiplier'],
      [{ kind: 'future', symbol: 'X', contractCode: 'X', multiplier: 1, tickSize: 1, roll: { policy: 'specific' } }, 'roll.contract'],
      [{ kind: 'fx', symbol: 'X', base: 'EURO', quote: 'USD', pipSize: 0.0001 }, 'base'],
      [{ kind: 'crypto', symbol: 'X', base: 'B', quote: 'Q', quantityStep: 1e-8 }, 'minSize'],
      [{ kind: 'stock', symbol: 'X', extra: 1 }, '(root)'],
      [{ kind: 'bond', symbol: 'X' }, 'kind'],
    ];
    for (const [input, field] of bad) {
      expect(() => parseInstrument(input)).toThrow(expect.objectContaining({ code: 'INSTRUMENT_INVALID', details: { field } }) as Error);
    }
    expect(() => parseInstrument({ kind: 'option', symbol: 'X' })).toThrow(expect.objectContaining({ code: 'INSTRUMENT_KIND_RESERVED' }) as Error);
  });
});

describe('instrument helpers', () => {
  it('rounds quantities toward zero to the allowed size', () => {
    expect(roundQuantity(stock, 250)).toBe(200);
    expect(roundQuantity(stock, -250)).toBe(-200);
    expect(roundQuantity(stock, 99)).toBe(0); // below one lot
    expect(roundQuantity(es, 2.9)).toBe(2);
    expect(roundQuantity(eurusd, 1234.5678)).toBe(1234.56);
    expect(roundQuantity(eurusd, 999.99)).toBe(0); // below minQuantity 1000
    expect(roundQuantity(btc, 0.123456789)).toBe(0.12345678);
    expect(roundQuantity(btc, 0.00009999)).toBe(0); // below minSize
    // 0.3 / 0.1 = 2.9999999999999996 in binary: still 3 steps, printed exactly.
    const tenth = parseInstrument({ kind: 'crypto', symbol: 'X', base: 'X', quote: 'Y', quantityStep: 0.1, minSize: 0.1 });
    expect(roundQuantity(tenth, 0.3)).toBe(0.3);
    expect(() => roundQuantity(stock, NaN)).toThrow(expect.objectContaining({ code: 'INSTRUMENT_BAD_QUANTITY' }) as Error);
  });

  it('steps, minimums, notional and point value', () => {
    expect([quantityStep(stock), quantityStep(es), quantityStep(eurusd), quantityStep(btc)]).toEqual([100, 1, 0.01, 1e-8]);
    expect([minQuantity(stock), minQuantity(es), minQuantity(eurusd), minQuantity(btc)]).toEqual([100, 1, 1000, 0.0001]);
    // ES: 2 contracts at 4500 points * $50 = $450,000 (hand computed)
    expect(notional(es, -2, 4500)).toBe(450_000);
    expect(pointValue(es)).toBe(50);
    expect(notional(stock, 300, 25.5)).toBe(7650);
    expect(notional(btc, 0.5, 40_000)).toBe(20_000);
  });

  it('rounds prices to ticks and measures pips', () => {
    expect(roundPrice(es, 4500.13)).toBe(4500.25);
    expect(roundPrice(es, 4500.12)).toBe(4500);
    expect(roundPrice(stock, 12.3456)).toBe(12.3456); // no tick size given
    expect(pips(eurusd, 1.1050 - 1.1000)).toBeCloseTo(50, 9);
    expect(() => pips(stock, 1)).toThrow(expect.objectContaining({ code: 'INSTRUMENT_INVALID' }) as Error);
  });
});
