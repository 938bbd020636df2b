// Where the wall time of a cold, first runSweep goes (not a test): `npm run bench:sweep-overhead`
// (builds the engine first). The workload of bench/sweep-ours.mjs (10,000 MA-crossover
// combinations) on the same seeded geometric random walk, in fresh processes (so every run pays the
// worker pool's cold start and the first compilation of the hot loops), and reports the median of
// each phase over the repetitions:
//   pool_start  a fresh process: new pool until every worker has answered an empty task (worker
//               thread boot + loading the worker's modules); a separate process from the sweep's
//   sweep       the cold runSweep of a fresh process (what bench:sweep times), split into
//     prep        runSweep entered -> the plan handed to the driver (validation, hashes, sampler)
//     drive       the driver: binding, posting chunks, the workers' evaluation, collecting results
//       first     ... of which: until the first chunk's answer arrives (includes the workers' start)
//       bind      ... of which: bindPoint on the main thread
//       rows_drive ... of which: leaderboard rows built on the main thread as results arrive (RowBuilder.add)
//       main_busy ... of which: main-thread busy time (event-loop utilization, wall) while driving
//       main_cpu_drive ... main-thread CPU while driving (Linux /proc schedstat)
//     finish      after the driver: everything below, PBO overlapping this thread's work
//       pbo         ... PBO (on the pool's workers; started first, overlaps rows, rank, dsr, ...)
//       pbo_part_min/max ... the quickest and the slowest PBO share (one piscina task each)
//       rows        ... the rows of the final results (RowBuilder.rowsOf: built while driving, looked up)
//       rank        ... rankResults
//       dsr         ... the winner's extra run for the DSR (JobEvaluator.returnsOf)
//       pbo_wait    ... this thread idle during the finish (event-loop idle time: waiting for the PBO)
//       rest        ... the rest of this thread's work: PBO input, leaderboard, heatmap, counts, result
//   pool_start_cpu  CPU of that process while its pool starts (every worker's boot and module loading)
//   cpu          whole-process CPU (main thread + workers) of the sweep
//   main_cpu     main-thread CPU of the sweep (main_cpu_finish: of which after the driver)
//   workers_cpu  cpu - main_cpu
// On a busy machine the wall times swing by 2x; the CPU figures are the steadier ones.
// Env: SWEEP_OVERHEAD_BARS=10000 SWEEP_OVERHEAD_REPS=5 SWEEP_OVERHEAD_WORKERS=N (default: every core)
//      SWEEP_OVERHEAD_WARM=300: first the same sweep on that many first closes in the same process (pool up,
//      code compiled: bench:sweep's warm protocol with 300)
//      SWEEP_OVERHEAD_CHUNK=N (SweepOptions.chunkSize; default: runSweep's)
// Profiles: node --cpu-prof --cpu-prof-dir=/tmp/prof bench/sweep-overhead.mjs --child sweep
//   (one .cpuprofile per thread, workers included). The machine may be shared: numbers are noisy.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as workload from './sweep-workload.mjs';

const { grwBars, grwCloses, SWEEP_SPEC } = workload;

const require = createRequire(import.meta.url);
const here = fileURLToPath(import.meta.url);
const root = join(here, '..', '..');
const dist = join(root, 'engine', 'dist');

const N = Number(process.env.SWEEP_OVERHEAD_BARS ?? 10_000);
const REPS = Number(process.env.SWEEP_OVERHEAD_REPS ?? 5);
const WORKERS = process.env.SWEEP_OVERHEAD_WORKERS === undefined || process.env.SWEEP_OVERHEAD_WORKERS === '' ? availableParallelism() : Number(process.env.SWEEP_OVERHEAD_WORKERS);

const spec = SWEEP_SPEC;
const WARM = Number(process.env.SWEEP_OVERHEAD_WARM ?? 0);

const ms = (a, b) => Math.round((b - a) * 10) / 10;

/**
 * CPU ms of this process's main thread: Linux /proc schedstat (nanoseconds on the CPU), else the
 * stat ticks (10 ms), NaN elsewhere.
 */
function mainThreadCpuMs() {
  try {
    const ns = Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
    if (Number.isFinite(ns)) return Math.round(ns / 1e5) / 10;
  } catch { /* no schedstat: the stat ticks */ }
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // utime + stime, in 1/100 s
  } catch {
    return Number.NaN;
  }
}

async function childPool() {
  const t0 = performance.now();
  const { SweepPool } = require(join(dist, 'sweep', 'exec', 'pool.js'));
  const bars = grwBars(grwCloses(16));
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const pool = new SweepPool(WORKERS, { minThreads: WORKERS });
  const job = { token: 'warm', bars, blocks: 0, cacheBytes: 1 << 20 };
  // One empty task per worker, all at once (piscina hands each to an idle worker as they come up).
  const first = [];
  await Promise.all(Array.from({ length: WORKERS }, async () => { await pool.run({ job, ids: [], runs: [] }); first.push(performance.now()); }));
  const t2 = performance.now();
  const cpu = process.cpuUsage(c1);
  await pool.close();
  console.log(JSON.stringify({ pool_start: ms(t1, t2), pool_start_cpu: Math.round((cpu.user + cpu.system) / 100) / 10, first_answer: ms(t1, Math.min(...first)), require_main: ms(t0, t1) }));
}

async function childSweep() {
  const { runSweep } = require(join(dist, 'index.js'));
  const driver = require(join(dist, 'sweep', 'exec', 'driver.js'));
  const target = require(join(dist, 'sweep', 'exec', 'target.js'));
  const finalize = require(join(dist, 'sweep', 'finalize.js'));
  const poolMod = require(join(dist, 'sweep', 'exec', 'pool.js'));
  const lb = require(join(dist, 'sweep', 'leaderboard', 'rank.js'));
  const bars = grwBars(grwCloses(N));
  const acc = { bind: 0, rowsDrive: 0, rows: 0, rank: 0, stats: 0, pbo: 0, dsr: 0, pboWait: 0 };
  const marks = {};
  // Timing wrappers on the module exports (run.js and driver.js call them through the exports objects).
  const timed = (mod, name, key) => {
    const f = mod[name];
    mod[name] = function (...args) {
      const t = performance.now();
      const r = f.apply(this, args);
      if (r instanceof Promise) return r.finally(() => { acc[key] += performance.now() - t; });
      acc[key] += performance.now() - t;
      return r;
    };
  };
  timed(target, 'bindPoint', 'bind');
  // Rows: built while driving (RowBuilder.add, as results arrive), then looked up after the driver.
  const timedProto = (proto, name, key) => {
    const f = proto[name];
    proto[name] = function (...args) { const t = performance.now(); try { return f.apply(this, args); } finally { acc[key] += performance.now() - t; } };
  };
  if (finalize.RowBuilder === undefined) timed(finalize, 'buildRows', 'rows'); // before RowBuilder (A/B runs of older builds)
  else {
    timedProto(finalize.RowBuilder.prototype, 'add', 'rowsDrive');
    timedProto(finalize.RowBuilder.prototype, 'rowsOf', 'rows');
  }
  timed(lb, 'rankResults', 'rank');
  timed(finalize, 'statistics', 'stats');
  const pboEnd = { t: 0 };
  const origPbo = poolMod.SweepPool.prototype.pbo;
  // Each PBO share's wall time (piscina's run, wrapped on this pool's instance): how even the parts end.
  const pboParts = [];
  poolMod.SweepPool.prototype.pbo = async function (st, ...rest) {
    const t = performance.now();
    const inner = this.pool;
    const innerRun = inner.run;
    pboParts.length = 0;
    inner.run = function (task, opts) {
      const t0 = performance.now();
      const r = innerRun.call(this, task, opts);
      if (opts?.name === 'pboTask') r.then(() => { pboParts.push(performance.now() - t0); }, () => undefined);
      return r;
    };
    try { return await origPbo.call(this, st, ...rest); } finally { inner.run = innerRun; pboEnd.t = performance.now(); acc.pbo += pboEnd.t - t; }
  };
  const origRun = poolMod.SweepPool.prototype.run;
  poolMod.SweepPool.prototype.run = async function (task, signal) {
    const r = await origRun.call(this, task, signal);
    marks.first ??= performance.now();
    return r;
  };
  // The DSR's extra run on this thread (workers load their own copy of the module).
  const evalMod = require(join(dist, 'sweep', 'exec', 'evaluate.js'));
  const origReturnsOf = evalMod.JobEvaluator.prototype.returnsOf;
  evalMod.JobEvaluator.prototype.returnsOf = function (run) {
    const t = performance.now();
    try { return origReturnsOf.call(this, run); } finally { acc.dsr += performance.now() - t; }
  };
  const origDrive = driver.drive;
  let elu0;
  let eluFinish0;
  let eluDrive;
  driver.drive = async (...args) => {
    marks.drive0 = performance.now();
    bindInDrive0 = acc.bind;
    rowsInDrive0 = acc.rowsDrive;
    elu0 = performance.eventLoopUtilization();
    mainCpu0 = mainThreadCpuMs();
    try { return await origDrive(...args); } finally {
      marks.drive1 = performance.now();
      eluDrive = performance.eventLoopUtilization(elu0);
      eluFinish0 = performance.eventLoopUtilization();
      mainCpuDrive = mainThreadCpuMs() - mainCpu0;
      mainCpu1 = mainThreadCpuMs();
      bindInDrive = acc.bind - bindInDrive0;
      rowsInDrive = acc.rowsDrive - rowsInDrive0;
    }
  };
  let bindInDrive0 = 0;
  let mainCpu0 = 0;
  let mainCpuDrive = 0;
  let mainCpu1 = 0;
  let bindInDrive = 0;
  let rowsInDrive0 = 0;
  let rowsInDrive = 0;
  let progressCalls = 0;
  if (WARM > 0) {
    // bench:sweep's warm protocol (sweep-workload.mjs warmUpBars, with WARM closes): the same sweep
    // on the first closes, in this process before the measured one (pool up, code compiled).
    await runSweep(grwBars(bars.close.slice(0, Math.min(WARM, bars.length))), spec, { workers: WORKERS, enforceCaps: false });
    for (const k of Object.keys(acc)) acc[k] = 0;
    for (const k of Object.keys(marks)) delete marks[k];
  }
  const c0 = process.cpuUsage();
  const m0 = mainThreadCpuMs();
  const t0 = performance.now();
  const chunk = process.env.SWEEP_OVERHEAD_CHUNK;
  const r = await runSweep(bars, spec, { workers: WORKERS, enforceCaps: false, onProgress: () => { progressCalls++; }, ...(chunk === undefined || chunk === '' ? {} : { chunkSize: Number(chunk) }) });
  const t1 = performance.now();
  const finishIdle = performance.eventLoopUtilization(eluFinish0).idle;
  const cpu = process.cpuUsage(c0);
  const mainCpuEnd = mainThreadCpuMs();
  const mainCpu = mainCpuEnd - m0;
  console.log(JSON.stringify({
    sweep: ms(t0, t1),
    prep: ms(t0, marks.drive0),
    drive: ms(marks.drive0, marks.drive1),
    first: ms(marks.drive0, marks.first),
    bind: ms(0, bindInDrive),
    rows_drive: ms(0, rowsInDrive),
    main_busy: Math.round(eluDrive.active * 10) / 10,
    main_cpu_drive: Math.round(mainCpuDrive * 10) / 10,
    finish: ms(marks.drive1, t1),
    pbo: ms(0, acc.pbo),
    pbo_part_min: ms(0, Math.min(...pboParts)),
    pbo_part_max: ms(0, Math.max(...pboParts)),
    rows: ms(0, acc.rows),
    rank: ms(0, acc.rank),
    dsr: ms(0, acc.dsr),
    pbo_wait: ms(0, finishIdle),
    rest: ms(0, t1 - marks.drive1 - acc.rows - acc.rank - acc.dsr - finishIdle),
    cpu: Math.round((cpu.user + cpu.system) / 100) / 10,
    main_cpu: Math.round(mainCpu * 10) / 10,
    main_cpu_finish: Math.round((mainCpuEnd - mainCpu1) * 10) / 10,
    workers_cpu: Math.round((cpu.user + cpu.system) / 1000 - mainCpu),
    combos: r.evaluated, failed: r.failed, progress_calls: progressCalls,
    // Fingerprint of the results (equal before and after a change that must not change them).
    fingerprint: fingerprint(r, lb),
  }));
}

function fingerprint(r) {
  const h = require('node:crypto').createHash('sha256');
  for (const row of r.results) h.update(`${row.rank}|${row.combo_id}|${row.config_hash}|${row.gate.status}|${row.metrics === undefined ? '' : Object.values(row.metrics).join(',')}\n`);
  h.update(JSON.stringify({ ...r.statistics, pbo_logits: r.statistics.pbo_logits === null ? null : Array.from(r.statistics.pbo_logits) }));
  h.update(JSON.stringify(r.leaderboard));
  h.update(JSON.stringify(r.heatmap));
  return h.digest('hex').slice(0, 16);
}

function median(xs) {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  return s.length === 0 ? null : s[Math.floor((s.length - 1) / 2)];
}

function runChild(kind) {
  const res = spawnSync(process.execPath, [here, '--child', kind], { encoding: 'utf8', env: process.env });
  if (res.status !== 0) throw new Error(`child ${kind} failed (${res.status}):\n${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').filter((l) => l.startsWith('{')).at(-1));
}

async function main() {
  console.log(`cold runSweep overhead: ${N} bars, 10,000 combinations, ${WORKERS} workers, ${REPS} fresh processes each (medians; shared machine: noisy)`);
  const pools = [];
  const sweeps = [];
  for (let i = 0; i < REPS; i++) {
    pools.push(runChild('pool'));
    sweeps.push(runChild('sweep'));
  }
  const med = (rows, k) => median(rows.map((x) => x[k]));
  const out = {};
  for (const k of ['pool_start', 'pool_start_cpu', 'first_answer']) out[k] = med(pools, k);
  for (const k of ['sweep', 'prep', 'drive', 'first', 'bind', 'rows_drive', 'main_busy', 'main_cpu_drive', 'finish', 'pbo', 'pbo_part_min', 'pbo_part_max', 'rows', 'rank', 'dsr', 'pbo_wait', 'rest', 'cpu', 'main_cpu', 'main_cpu_finish', 'workers_cpu']) out[k] = med(sweeps, k);
  console.log('per run (ms):', sweeps.map((s) => s.sweep).join(', '));
  for (const [k, v] of Object.entries(out)) console.log(`  ${k.padEnd(13)} ${String(v).padStart(8)} ${k.includes('cpu') ? 'ms CPU' : 'ms'}`);
  const fps = new Set(sweeps.map((s) => s.fingerprint));
  console.log(`  results fingerprint ${[...fps].join(' ')}${fps.size > 1 ? ' (DIFFERS between runs!)' : ''}; combos ${sweeps[0].combos}, failed ${sweeps[0].failed}, progress calls ${sweeps[0].progress_calls}`);
}

const childIdx = process.argv.indexOf('--child');
if (childIdx >= 0) {
  const kind = process.argv[childIdx + 1];
  if (kind === 'pool') await childPool();
  else await childSweep();
} else {
  await main();
}
