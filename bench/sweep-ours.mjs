// Child process of bench/sweep.bench.mjs: our engine through its public sweep API on the closes
// in argv[2] (float64 LE); writes total_return per combination (grid order) to argv[3] and prints
// one JSON line (seconds, combos, peak RSS of this process, which includes its worker threads).
// argv[4] = 'warm': first the same sweep, untimed, on the first 300 closes (sweep-workload.mjs
// warmUpBars: the worker pool up, the code compiled on a tiny input), then the measured one — the
// protocol Numba gets (it compiles on the first 300 closes before its timed run). Otherwise the
// measured sweep is the process's first (cold: pool start and compilation included).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { grwBars, SWEEP_SPEC, warmUpBars } from './sweep-workload.mjs';

const require = createRequire(import.meta.url);
const root = join(fileURLToPath(import.meta.url), '..', '..');
const { runSweep } = require(join(root, 'engine', 'dist', 'index.js'));

const [closesPath, outPath, workersArg, mode] = process.argv.slice(2);
const buf = readFileSync(closesPath);
const close = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
const n = close.length;
const bars = grwBars(close);
const spec = SWEEP_SPEC; // fast = 2..101 x slow = 2..200 step 2: 10,000 combinations, fast >= slow kept (docs/sweeps.md)
const workers = workersArg === undefined || workersArg === '' ? availableParallelism() : Number(workersArg);
const warm = mode === 'warm';
if (warm) await runSweep(warmUpBars(close), spec, { workers, enforceCaps: false });
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
  engine: warm ? 'sigmatiq (warm)' : 'sigmatiq', seconds, cpu_seconds: (cpu.user + cpu.system) / 1e6, combos: r.evaluated, failed: r.failed, bars: n, workers,
  peak_rss_bytes: process.resourceUsage().maxRSS * 1024, progress_calls: progressCalls,
  dsr: r.statistics.dsr?.dsr ?? null, pbo: r.statistics.pbo?.pbo ?? null, cache: r.cache,
}));
