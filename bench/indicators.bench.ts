// Indicator throughput (not a test): `npm run bench:indicators`.
// 1,000,000 synthetic one-minute bars (engine/src/data generator, fixed seed); every registered
// indicator and feature with default parameters, through the public `compute` (allocation of the
// output arrays included). vitest's table: hz = full 1M-bar computations per second, so
// bars/s = hz × 1,000,000. The machine is shared: numbers are noisy; run several times.
import { bench, describe } from 'vitest';
import { generateSyntheticBars } from '../engine/src/data/index.js';
import { listIndicators } from '../engine/src/indicators/index.js';

const N = 1_000_000;
const bars = generateSyntheticBars({ length: N, seed: 20261121, interval: '1m' });

describe(`indicators over ${N.toLocaleString('en-US')} synthetic 1m bars (bars/s = hz × 1e6)`, () => {
  for (const def of listIndicators()) {
    bench(def.name, () => {
      def.compute(bars, {});
    }, { iterations: 10, warmupIterations: 3 });
  }
});
