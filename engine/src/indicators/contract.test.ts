// The indicator contract, run against EVERY registered indicator and feature (listIndicators()).
// Oracles here are structural: NaN exactly before each output's lookback, finite after it on
// clean data, purity, typed parameter errors, short series, column naming.
import { describe, expect, it } from 'vitest';
import { isSigmatiqError } from '../errors.js';
import { listIndicators } from './index.js';
import type { IndicatorDef } from './types.js';
import { loadRealCsv } from './oracle/harness.js';

/** Seeded (LCG) random walk with valid OHLCV; independent of the engine's generators. */
function walk(n: number, seed: number) {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const ts = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  let price = 100;
  for (let i = 0; i < n; i++) {
    ts[i] = Date.UTC(2024, 0, 1) + i * 3_600_000; // hourly: VWAP sees several days
    const o = price;
    const c = o * Math.exp((rnd() - 0.5) * 0.04);
    open[i] = o;
    close[i] = c;
    high[i] = Math.max(o, c) * (1 + rnd() * 0.01);
    low[i] = Math.min(o, c) * (1 - rnd() * 0.01);
    volume[i] = Math.floor(rnd() * 10_000) + 1;
    price = c;
  }
  return { ts, open, high, low, close, volume, length: n };
}

function defaults(def: IndicatorDef): Record<string, number> {
  return Object.fromEntries(def.params.map((p) => [p.name, p.default]));
}

/** A second, non-default parameter set inside the bounds. */
function alternative(def: IndicatorDef): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of def.params) {
    const v = p.kind === 'int' ? Math.min(p.max, Math.max(p.min, Math.round(p.default / 2))) : Math.min(p.max, Math.max(p.min, p.default * 0.75));
    out[p.name] = v;
  }
  // Keep cross-parameter rules (fast < slow) satisfied.
  if ('fast' in out && 'slow' in out && (out['fast'] ?? 0) >= (out['slow'] ?? 0)) out['fast'] = Math.max(2, (out['slow'] ?? 3) - 1);
  return out;
}

const DEFS = listIndicators();
const SYN = walk(600, 7);
const REAL = loadRealCsv('sp500_daily_1999_2018.csv');

it('registers the 14 indicators and the 6 features', () => {
  const names = DEFS.map((d) => d.name);
  for (const n of ['sma', 'ema', 'wma', 'rsi', 'macd', 'stoch', 'adx', 'bbands', 'atr', 'obv', 'volume_ma', 'roc', 'keltner', 'vwap']) expect(names).toContain(n);
  const features = DEFS.filter((d) => d.kind === 'feature').map((d) => d.name);
  expect(features.sort()).toEqual(['bb_squeeze', 'macd_cross', 'momentum_composite', 'rsi_divergence', 'trend_strength', 'volume_surge']);
});

describe.each(DEFS.map((d) => [d.name, d] as const))('contract: %s', (_name, def) => {
  const paramSets = [defaults(def), alternative(def)];

  it('has one output array per declared output, each as long as the bars', () => {
    for (const params of paramSets) {
      const outs = def.compute(SYN, params);
      expect(outs).toHaveLength(def.outputs.length);
      for (const o of outs) expect(o).toHaveLength(SYN.length);
    }
  });

  it.each([
    ['synthetic walk', SYN],
    ['sp500 daily (real)', REAL],
  ] as const)('is NaN exactly before each lookback and finite after it (%s)', (_label, bars) => {
    for (const params of paramSets) {
      const lbs = def.lookbacks(params);
      expect(lbs).toHaveLength(def.outputs.length);
      expect(def.lookback(params)).toBe(Math.max(...lbs));
      def.compute(bars, params).forEach((o, j) => {
        const lb = lbs[j] ?? -1;
        const firstValid = o.findIndex((v) => !Number.isNaN(v));
        expect(firstValid, `${def.name} output ${def.outputs[j]} ${JSON.stringify(params)}`).toBe(lb);
        for (let i = lb; i < o.length; i++) {
          if (!Number.isFinite(o[i])) throw new Error(`${def.name}.${def.outputs[j]}[${i}] = ${o[i]} after lookback ${lb}`);
        }
      });
    }
  });

  it('is pure: inputs unchanged and the same bits twice', () => {
    const copy = { ...SYN, open: SYN.open.slice(), high: SYN.high.slice(), low: SYN.low.slice(), close: SYN.close.slice(), volume: SYN.volume.slice(), ts: SYN.ts.slice() };
    const a = def.compute(copy, defaults(def));
    const b = def.compute(copy, defaults(def));
    for (const f of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const) expect(copy[f]).toEqual(SYN[f]);
    a.forEach((o, j) => expect(Buffer.from(o.buffer).equals(Buffer.from((b[j] as Float64Array).buffer))).toBe(true));
    expect(a[0]).not.toBe(b[0]);
  });

  it('never looks ahead: values on a prefix of the bars are bit-identical to those on the full series', () => {
    for (const params of paramSets) {
      const full = def.compute(SYN, params);
      for (const cut of [37, 400]) {
        const prefix = {
          ts: SYN.ts.subarray(0, cut), open: SYN.open.subarray(0, cut), high: SYN.high.subarray(0, cut),
          low: SYN.low.subarray(0, cut), close: SYN.close.subarray(0, cut), volume: SYN.volume.subarray(0, cut), length: cut,
        };
        def.compute(prefix, params).forEach((o, j) => {
          for (let i = 0; i < cut; i++) {
            if (!Object.is(o[i], full[j]?.[i])) throw new Error(`${def.name}.${def.outputs[j]}[${i}] differs with ${cut} bars`);
          }
        });
      }
    }
  });

  it('rejects bad parameters with INDICATOR_PARAM naming the parameter', () => {
    const expectParamError = (params: Record<string, number>, param: string): void => {
      let caught: unknown;
      try {
        def.compute(SYN, params);
      } catch (err) {
        caught = err;
      }
      expect(isSigmatiqError(caught), `${def.name} ${JSON.stringify(params)} should throw`).toBe(true);
      if (isSigmatiqError(caught)) {
        expect(caught.code).toBe('INDICATOR_PARAM');
        expect(caught.details?.['param']).toBe(param);
        expect(caught.message).toContain(param);
      }
    };
    expectParamError({ no_such_param: 1 }, 'no_such_param');
    for (const p of def.params) {
      expectParamError({ ...defaults(def), [p.name]: p.min - 1 }, p.name);
      expectParamError({ ...defaults(def), [p.name]: p.max + 1 }, p.name);
      expectParamError({ ...defaults(def), [p.name]: NaN }, p.name);
      if (p.kind === 'int') expectParamError({ ...defaults(def), [p.name]: p.default + 0.5 }, p.name);
    }
  });

  it('returns all-NaN (no throw) on series not longer than the lookback, including empty', () => {
    const lbs = def.lookbacks(defaults(def));
    for (const n of [0, 1, Math.max(...lbs)]) {
      const short = walk(n, 3);
      const outs = def.compute(short, defaults(def));
      outs.forEach((o, j) => {
        expect(o).toHaveLength(n);
        const lb = lbs[j] ?? 0;
        for (let i = 0; i < Math.min(n, lb); i++) expect(o[i]).toBeNaN();
      });
      if (n <= Math.min(...lbs)) for (const o of outs) expect(o.every((v) => Number.isNaN(v))).toBe(true);
    }
  });

  it('skips leading NaNs in explicit inputs (computeFrom) and shifts the first valid bar', () => {
    const lead = 5;
    const inputs = def.inputs.map((f) => {
      const a = SYN[f].slice();
      a.fill(NaN, 0, lead);
      return a;
    });
    const outs = def.computeFrom(inputs, defaults(def), def.usesTime ? SYN.ts : undefined);
    const lbs = def.lookbacks(defaults(def));
    outs.forEach((o, j) => expect(o.findIndex((v) => !Number.isNaN(v))).toBe(lead + (lbs[j] ?? 0)));
  });

  it('names one column per output: lower-case identifiers, parameters in order', () => {
    for (const params of paramSets) {
      const cols = def.columns(params);
      expect(cols).toHaveLength(def.outputs.length);
      expect(new Set(cols).size).toBe(cols.length);
      for (const c of cols) {
        expect(c).toMatch(/^[a-z][a-z0-9_]*$/);
        const suffix = def.params.map((p) => String(params[p.name]).replace('.', 'p')).join('_');
        if (suffix !== '') expect(c.endsWith(`_${suffix}`)).toBe(true);
      }
    }
  });
});
