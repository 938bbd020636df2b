// Market-data benchmark (not a test): `npm run bench:data` (compiles the engine first).
// Times, after one warm-up run, the median of several runs of:
//   synthetic 1M x 1m and 100k x 1d bars, data hash of 1M bars, freeze (Parquet write) of 1M bars,
//   snapshot load of 1M bars (with and without hash verification), resample 1M 1m -> 5m and -> 1d,
//   import of the largest real CSV (eurusd_m1_2017h1.csv, 186,348 rows).
// The machine is shared: numbers are noisy; run several times.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(fileURLToPath(import.meta.url), '..', '..');
const data = require(join(root, 'engine', 'dist', 'data', 'index.js'));
const { dataHash } = require(join(root, 'engine', 'dist', 'hash', 'index.js'));

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time(label, fn, runs = 5, rows = undefined) {
  await fn(); // warm-up
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  const ms = median(samples);
  const rate = rows !== undefined ? `  ${((rows / ms) * 1000 / 1e6).toFixed(2)} M rows/s` : '';
  console.log(`${label.padEnd(44)} ${ms.toFixed(1).padStart(9)} ms (min ${Math.min(...samples).toFixed(1)}, max ${Math.max(...samples).toFixed(1)})${rate}`);
}

const store = mkdtempSync(join(tmpdir(), 'sigmatiq-bench-data-'));
try {
  const N = 1_000_000;
  const minute = data.generateSyntheticBars({ length: N, seed: 20261121, interval: '1m' });
  await time('synthetic 1,000,000 x 1m', () => data.generateSyntheticBars({ length: N, seed: 20261121, interval: '1m' }), 5, N);
  await time('synthetic 100,000 x 1d', () => data.generateSyntheticBars({ length: 100_000, seed: 1, interval: '1d' }), 5, 100_000);
  await time('dataHash 1,000,000 bars', () => dataHash(minute), 5, N);
  let i = 0;
  await time('freeze 1,000,000 bars (Parquet write)', async () => {
    // a fresh store each run so nothing is reused
    await data.freezeSnapshot(minute, { storeDir: join(store, `w${i++}`), source: { path: 'synthetic', format: 'synthetic' } });
  }, 3, N);
  const { record } = await data.freezeSnapshot(minute, { storeDir: join(store, 'main'), source: { path: 'synthetic', format: 'synthetic' } });
  await time('load snapshot 1,000,000 bars (verify hash)', () => data.loadSnapshot(join(store, 'main'), record.hash), 5, N);
  await time('load snapshot 1,000,000 bars (no verify)', () => data.loadSnapshot(join(store, 'main'), record.hash, { verify: false }), 5, N);
  await time('resample 1,000,000 x 1m -> 5m', () => data.resample(minute, '5m'), 5, N);
  await time('resample 1,000,000 x 1m -> 1d', () => data.resample(minute, '1d'), 5, N);
  const csv = join(data.realDataDir(), 'eurusd_m1_2017h1.csv');
  await time('import eurusd_m1_2017h1.csv (186,348 rows)', () => data.importBars(csv), 5, 186_348);
} finally {
  rmSync(store, { recursive: true, force: true });
}
