// GBDT training side by side with LightGBM (issue 7, "Benchmark"): EUR/USD 1-minute bars, 2017 H1
// (../shared/data/real/eurusd_m1_2017h1.csv, ~186k rows), 20 causal features from the engine's
// indicators, label = the close 15 minutes later is higher, the job's purged/embargoed folds
// (5 folds, 1-day embargo). Both sides: 200 trees, depth 4 (LightGBM num_leaves 16), learning
// rate 0.1, min 20 rows per leaf, 255 bins, no subsampling, no early stopping, ONE thread.
// Reported per fold and in total: fit time (binning included, prediction excluded) and validation AUC.
// Targets: |AUC − LightGBM's| ≤ 0.01, our time ≤ 5× LightGBM's. Python: .venv (requirements.txt
// pins lightgbm and scikit-learn). Env: TRAIN_BENCH_FOLDS=all|last (default all).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(fileURLToPath(import.meta.url), '..', '..');
const E = require(join(root, 'engine', 'dist', 'index.js'));
const shared = process.env.SIGMATIQ_SHARED_DIR ?? join(root, '..', 'shared');
const which = process.env.TRAIN_BENCH_FOLDS ?? 'all';
const PARAMS = { nEstimators: 200, maxDepth: 4, learningRate: 0.1, minChildSamples: 20 };

function loadCsv(path) {
  const lines = readFileSync(path, 'utf8').trim().split('\n').slice(1);
  const n = lines.length;
  const c = { ts: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  lines.forEach((l, i) => {
    const f = l.split(',');
    c.ts[i] = Date.parse(f[0]);
    c.open[i] = +f[1];
    c.high[i] = +f[2];
    c.low[i] = +f[3];
    c.close[i] = +f[4];
    c.volume[i] = +(f[5] || 0);
  });
  return { symbol: 'EURUSD', interval: '1m', length: n, ...c };
}

function features(b) {
  const ind = (name, params) => E.getIndicator(name).compute(b, params);
  const n = b.length;
  const map = (f) => Float64Array.from({ length: n }, (_, i) => f(i));
  const cols = {};
  for (const p of [7, 14, 28]) cols[`rsi_${p}`] = ind('rsi', { period: p })[0];
  for (const p of [5, 15, 60]) cols[`roc_${p}`] = ind('roc', { period: p })[0];
  for (const p of [10, 30, 120]) {
    const e = ind('ema', { period: p })[0];
    cols[`ema_gap_${p}`] = map((i) => b.close[i] / e[i] - 1);
  }
  for (const p of [14, 60]) {
    const a = ind('atr', { period: p })[0];
    cols[`atr_${p}`] = map((i) => a[i] / b.close[i]);
  }
  const [up, mid, lo] = ind('bbands', { period: 20, stddev: 2 });
  cols.bb_pctb = map((i) => (b.close[i] - lo[i]) / (up[i] - lo[i]));
  cols.bb_width = map((i) => (up[i] - lo[i]) / mid[i]);
  const [, , hist] = ind('macd', { fast: 12, slow: 26, signal: 9 });
  cols.macd_hist = map((i) => hist[i] / b.close[i]);
  const [k, d] = ind('stoch', { fastk_period: 14, slowk_period: 3, slowd_period: 3 });
  cols.stoch_k = k;
  cols.stoch_d = d;
  const [adx, pdi, mdi] = ind('adx', { period: 14 });
  cols.adx = adx;
  cols.di_spread = map((i) => pdi[i] - mdi[i]);
  cols.minute_of_day = map((i) => (b.ts[i] % 86_400_000) / 60_000);
  cols.bar_range = map((i) => (b.high[i] - b.low[i]) / b.close[i]);
  return cols;
}

const t0 = performance.now();
const bars = loadCsv(join(shared, 'data', 'real', 'eurusd_m1_2017h1.csv'));
const cols = features(bars);
const labels = E.forwardReturnLabels(bars.close, 15, 0);
const names = Object.keys(cols);
const keep = [];
for (let i = 0; i < bars.length; i++) if (labels.valid[i] && names.every((nm) => Number.isFinite(cols[nm][i]))) keep.push(i);
const rows = Int32Array.from(keep);
const x = { names, columns: names.map((nm) => Float64Array.from(rows, (i) => cols[nm][i])), rows: rows.length };
const y = Uint8Array.from(rows, (i) => labels.y[i]);
const folds = E.purgedFolds(Float64Array.from(rows, (i) => bars.ts[i]), Float64Array.from(rows, (i) => bars.ts[labels.end[i]]), { folds: 5, embargoMs: E.DAY_MS });
const used = which === 'last' ? folds.slice(-1) : folds;
console.log(`data: ${bars.length} bars -> ${x.rows} rows x ${names.length} features, ${used.length} fold(s) (prep ${((performance.now() - t0) / 1000).toFixed(1)} s)`);

const dir = mkdtempSync(join(tmpdir(), 'sigmatiq-train-bench-'));
try {
  const X = new Float64Array(x.rows * names.length);
  x.columns.forEach((c, j) => X.set(c, j * x.rows));
  writeFileSync(join(dir, 'X.f64'), new Uint8Array(X.buffer));
  writeFileSync(join(dir, 'y.u8'), y);
  writeFileSync(join(dir, 'params.json'), JSON.stringify({ ...PARAMS, features: names.length, rows: x.rows }));
  writeFileSync(join(dir, 'folds.json'), JSON.stringify(used.map((f) => {
    writeFileSync(join(dir, `tr${f.index}.i32`), new Uint8Array(f.train.buffer));
    writeFileSync(join(dir, `te${f.index}.i32`), new Uint8Array(f.test.buffer));
    return { train: join(dir, `tr${f.index}.i32`), test: join(dir, `te${f.index}.i32`) };
  })));

  const ours = [];
  for (const f of used) {
    const take = (idx) => ({ names, columns: x.columns.map((c) => Float64Array.from(idx, (i) => c[i])), rows: idx.length });
    const xt = take(f.train);
    const yt = Uint8Array.from(f.train, (i) => y[i]);
    const xv = take(f.test);
    const yv = Uint8Array.from(f.test, (i) => y[i]);
    const s = performance.now();
    const c = process.cpuUsage();
    const m = E.fitGbdt(xt, yt, { ...PARAMS, lambdaL2: 0, seed: 1 });
    const u = process.cpuUsage(c);
    const fit_s = (performance.now() - s) / 1000;
    ours.push({ fit_s, cpu_s: (u.user + u.system) / 1e6, auc: E.aucRoc(yv, E.predictGbdt(m, xv)), train: f.train.length, test: f.test.length });
    console.log(`  ours fold ${f.index}: ${fit_s.toFixed(2)} s wall, ${ours.at(-1).cpu_s.toFixed(2)} s CPU, AUC ${ours.at(-1).auc.toFixed(4)}`);
  }
  const py = spawnSync(join(root, '.venv', 'bin', 'python'), [join(root, 'bench', 'python', 'train_lgbm.py'), dir], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (py.status !== 0) throw new Error(`LightGBM side failed (${py.status}): ${py.stderr}\nInstall: .venv/bin/pip install -r requirements.txt`);
  const lgb = JSON.parse(py.stdout.trim().split('\n').at(-1));
  const sum = (a, k) => a.reduce((t, r) => t + r[k], 0);
  console.log(`\nGBDT, 200 trees, depth 4, one thread; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (shared machine: noisy)`);
  console.log('fold  rows(train/test)   ours wall/CPU s  LightGBM wall/CPU s  ratio wall/CPU  ours AUC  LightGBM AUC  |dAUC|');
  used.forEach((f, i) => {
    const o = ours[i];
    const l = lgb.folds[i];
    const pair = (a, b) => `${a.toFixed(2)}/${b.toFixed(2)}`;
    console.log(`${String(f.index).padEnd(5)} ${`${o.train}/${o.test}`.padEnd(18)} ${pair(o.fit_s, o.cpu_s).padStart(16)} ${pair(l.fit_s, l.cpu_s).padStart(20)} ${pair(o.fit_s / l.fit_s, o.cpu_s / l.cpu_s).padStart(15)} ${o.auc.toFixed(4).padStart(9)} ${l.auc.toFixed(4).padStart(13)} ${Math.abs(o.auc - l.auc).toFixed(4).padStart(7)}`);
  });
  const ratio = sum(ours, 'fit_s') / sum(lgb.folds, 'fit_s');
  const cpuRatio = sum(ours, 'cpu_s') / sum(lgb.folds, 'cpu_s');
  const maxDiff = Math.max(...ours.map((o, i) => Math.abs(o.auc - lgb.folds[i].auc)));
  console.log(`total: ours ${sum(ours, 'fit_s').toFixed(2)} s wall / ${sum(ours, 'cpu_s').toFixed(2)} s CPU; LightGBM ${lgb.version} ${sum(lgb.folds, 'fit_s').toFixed(2)} s wall / ${sum(lgb.folds, 'cpu_s').toFixed(2)} s CPU`);
  console.log(`ratio ${ratio.toFixed(2)} wall, ${cpuRatio.toFixed(2)} CPU (target ≤ 5); max |dAUC| ${maxDiff.toFixed(4)} (target ≤ 0.01)`);
  console.log(JSON.stringify({ bench: 'train', rows: x.rows, features: names.length, folds: used.length, ours, lightgbm: lgb, ratio, cpu_ratio: cpuRatio, max_auc_diff: maxDiff, load: loadavg() }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
