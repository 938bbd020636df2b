// Child process of bench/sweep.bench.mjs: our engine through its public sweep API on the closes
// in argv[2] (float64 LE); writes total_return per combination (grid order) to argv[3] and prints
// one JSON line (seconds, combos, peak RSS of this process, which includes its worker threads).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(fileURLToPath(import.meta.url), '..', '..');
const { runSweep } = require(join(root, 'engine', 'dist', 'index.js'));

const [closesPath, outPath, workersArg] = process.argv.slice(2);
const buf = readFileSync(closesPath);
const close = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
const n = close.length;
const DAY = 86_400_000;
const ts = new Float64Array(n);
for (let i = 0; i < n; i++) ts[i] = 946_857_600_000 + i * DAY; // daily-like: one bar per calendar day
// Only closes matter to this workload (close fills, SMAs of close): open = high = low = close.
const bars = { symbol: 'GRW', interval: '1d', ts, open: close, high: close, low: close, close, volume: new Float64Array(n).fill(1), length: n };

const spec = {
  target: {
    kind: 'rules',
    entry: 'cross_above(sma(close, fast), sma(close, slow))',
    exit: 'cross_below(sma(close, fast), sma(close, slow))',
    params: { fast: 10, slow: 50 },
    backtest: { fill: 'close', direction: 'long', initialCapital: 100_000, commissionBps: 10, commissionFixed: 0, slippageBps: 0, sizing: { mode: 'fixed_fraction', fraction: 1 } },
  },
  // fast = 2..101 x slow = 2..200 step 2: 10,000 combinations, fast >= slow kept (docs/sweeps.md).
  space: { params: [{ name: 'fast', kind: 'range', start: 2, end: 101, step: 1 }, { name: 'slow', kind: 'range', start: 2, end: 200, step: 2 }] },
  type: 'custom', tier: 'pro',
};
const workers = workersArg === undefined || workersArg === '' ? availableParallelism() : Number(workersArg);
const t0 = performance.now();
const c0 = process.cpuUsage(); // the whole process: main thread and every worker thread
let progressCalls = 0;
const r = await runSweep(bars, spec, { workers, enforceCaps: false, onProgress: () => { progressCalls++; } });
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
const byId = new Float64Array(r.evaluated);
for (const row of r.results) byId[row.combo_id] = row.metrics === undefined ? NaN : row.metrics.total_return;
writeFileSync(outPath, Buffer.from(byId.buffer));
console.log(JSON.stringify({
  engine: 'sigmatiq', seconds, cpu_seconds: (cpu.user + cpu.system) / 1e6, combos: r.evaluated, failed: r.failed, bars: n, workers,
  peak_rss_bytes: process.resourceUsage().maxRSS * 1024, progress_calls: progressCalls,
  dsr: r.statistics.dsr?.dsr ?? null, pbo: r.statistics.pbo?.pbo ?? null, cache: r.cache,
}));
