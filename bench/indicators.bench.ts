// Indicator throughput (not a test): `npm run bench:indicators`.
// 1,000,000 synthetic one-minute bars (engine/src/data generator, fixed seed); every registered
// indicator and feature with default parameters. Prints bars/s from the median of timed runs after
// warm-up, then vitest's own table (hz = full 1M-bar computations per second).
// The machine is shared: numbers are noisy; run several times and report the spread.
import { beforeAll, bench, describe } from 'vitest';
import { generateSyntheticBars } from '../engine/src/data/index.js';
import { listIndicators } from '../engine/src/indicators/index.js';

const N = 1_000_000;
const bars = generateSyntheticBars({ length: N, seed: 20261121, interval: '1m' });
const defs = listIndicators();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

describe(`indicators over ${N.toLocaleString('en-US')} synthetic 1m bars`, () => {
  beforeAll(() => {
    const rows: string[] = [];
    for (const def of defs) {
      for (let i = 0; i < 2; i++) def.compute(bars, {}); // warm-up (JIT)
      const ms: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = process.hrtime.bigint();
        def.compute(bars, {});
        ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      const m = median(ms);
      rows.push(`${def.name.padEnd(20)} ${m.toFixed(2).padStart(9)} ms  ${((N / m) * 1000 / 1e6).toFixed(1).padStart(7)} M bars/s`);
    }
    console.log(['indicator             median ms    throughput', ...rows].join('\n'));
  });

  for (const def of defs) {
    bench(def.name, () => {
      def.compute(bars, {});
    }, { iterations: 5, warmupIterations: 2 });
  }
});
