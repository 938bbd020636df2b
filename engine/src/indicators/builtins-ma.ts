import { defineIndicator } from './define.js';
import { emaInto, smaInto, wmaInto } from './kernels/ma.js';
import type { ParamDef } from './types.js';

/** Shared parameter definitions, so every indicator names and bounds them the same way. */
export function periodParam(def: number, description = 'window length in bars', min = 2): ParamDef {
  return { name: 'period', kind: 'int', default: def, min, max: 100_000, description };
}

const p = (r: Readonly<Record<string, number>>, name: string): number => r[name] as number;

export const SMA = defineIndicator({
  name: 'sma',
  description: 'Simple moving average (TA_SMA).',
  inputs: ['close'],
  params: [periodParam(20)],
  outputs: ['value'],
  lookbacks: (r) => [p(r, 'period') - 1],
  kernel: ([src], r, [out]) => smaInto(src as Float64Array, p(r, 'period'), out as Float64Array),
});

export const EMA = defineIndicator({
  name: 'ema',
  description: 'Exponential moving average, k = 2/(period+1), seeded with the SMA of the first period values (TA_EMA).',
  inputs: ['close'],
  params: [periodParam(20)],
  outputs: ['value'],
  lookbacks: (r) => [p(r, 'period') - 1],
  kernel: ([src], r, [out]) => emaInto(src as Float64Array, p(r, 'period'), out as Float64Array),
});

export const WMA = defineIndicator({
  name: 'wma',
  description: 'Linearly weighted moving average, weights 1..period (TA_WMA).',
  inputs: ['close'],
  params: [periodParam(20)],
  outputs: ['value'],
  lookbacks: (r) => [p(r, 'period') - 1],
  kernel: ([src], r, [out]) => wmaInto(src as Float64Array, p(r, 'period'), out as Float64Array),
});

export const VOLUME_MA = defineIndicator({
  name: 'volume_ma',
  description: 'Simple moving average of volume (TA_SMA over volume).',
  inputs: ['volume'],
  params: [periodParam(20)],
  outputs: ['value'],
  lookbacks: (r) => [p(r, 'period') - 1],
  kernel: ([src], r, [out]) => smaInto(src as Float64Array, p(r, 'period'), out as Float64Array),
});
