// Sidecar HTTP benchmark (not a test): `npm run bench:server [-- --duration S] [--connections N] [--only leaderboard|post]`.
// Starts the built sidecar (`sigmatiq server --port 0`) on a fresh temp data dir, seeds a custom sweep with
// 1,000 combinations, then runs autocannon for `duration` seconds (default 60) against
//   1. GET  /v1/sweeps/{id}/leaderboard?limit=50   (read: window-ranked top 50)
//   2. POST /v1/packs                               (write: validation, sha256, insert + audit row in one tx)
// and reports req/s, latency p50/p99 and non-2xx/5xx counts per run. Targets (issue 5): >= 2,000 req/s,
// p99 <= 50 ms, 0 5xx on 2 cores. The platform-admin key is used (not rate limited). The machine may be
// shared: numbers are noisy.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const root = join(fileURLToPath(import.meta.url), '..', '..');
const { values } = parseArgs({
  options: { duration: { type: 'string', default: '60' }, connections: { type: 'string', default: '16' }, only: { type: 'string' }, bin: { type: 'string' } },
});
// --only leaderboard|post runs one route (e.g. for a CPU profile of just that route, SQ_BENCH_PROF=<dir>).
const only = values.only;
const duration = Number(values.duration);
const connections = Number(values.connections);

const dataDir = mkdtempSync(join(tmpdir(), 'sq-bench-'));
// --bin <main.js> benchmarks another build of the sidecar (e.g. an older commit's, for an A/B on the same machine state).
const bin = values.bin ?? join(root, 'server', 'dist', 'cli', 'main.js');
const child = spawn(process.execPath, [...(process.env.SQ_BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.SQ_BENCH_PROF] : []), bin, 'server', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (d) => {
    out += d.toString();
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  child.once('exit', (code) => reject(new Error(`sidecar exited ${code}`)));
});
const key = readFileSync(join(dataDir, 'admin.key'), 'utf8').trim();
const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

async function post(path, body) {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const pack = (name) => ({
  name, version: '1.0.0',
  metadata: { vibe: { time_horizon: 'swing', risk_appetite: 'moderate', decision_style: 'systematic', market_preference: 'equities', execution_character: 'patient' } },
  supported_instruments: ['stock'], default_instrument: 'stock', tags: ['bench'], author: 'bench', spec: { indicators: [{ id: 'rsi', params: { period: 14 } }] },
});

try {
  const snapFile = join(dataDir, 'snapshot.bin');
  writeFileSync(snapFile, 'bench snapshot');
  const p = await post('/v1/packs', pack('seed'));
  const m = await post('/v1/models', { pack_id: p.id, name: 'bench' });
  const v = await post(`/v1/models/${m.id}/versions`, { config_yaml: 'strategy: momentum\n' });
  const s = await post('/v1/data-snapshots', { name: 'bench', uri: snapFile, date_range: { start: '2020-01-01', end: '2024-12-31' }, data_source_version: 'v1' });
  const sweep = await post('/v1/sweeps', { model_version_id: v.id, data_snapshot_id: s.id, type: 'custom', date_range: { start: '2020-01-01', end: '2024-12-31' }, parameters: { rsi: 'grid' } });
  await post(`/v1/sweeps/${sweep.id}/start`, {});
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let batch = 0; batch < 5; batch++) {
    const items = Array.from({ length: 200 }, (_, i) => {
      const sharpe = rnd() * 3 - 0.5;
      return {
        combo_id: batch * 200 + i, params: { rsi: 5 + i, band: batch },
        backtest_metrics: { total_return: rnd(), annualized_return: rnd() / 4, sharpe_ratio: sharpe, sortino_ratio: sharpe * 1.3, max_drawdown: rnd() / 2, win_rate: rnd(), profit_factor: 1 + rnd(), total_trades: Math.floor(rnd() * 200), avg_trade_duration_days: 4, best_trade: 0.1, worst_trade: -0.08, avg_winner: 0.02, avg_loser: -0.015 },
        kept: true, // gate_results omitted: the sidecar evaluates the gates itself (engine evaluateGates)
      };
    });
    await post(`/v1/sweeps/${sweep.id}/combinations`, { items });
  }

  // CPU time of the sidecar process (all its threads) from /proc: CPU per request is much less sensitive to
  // other jobs on a shared machine than req/s is.
  const cpuMs = () => {
    try {
      const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in USER_HZ (100) ticks
    } catch {
      return Number.NaN;
    }
  };
  const run = (opts) => new Promise((resolve, reject) => {
    const inst = autocannon({ connections, duration, headers, ...opts }, (err, res) => (err ? reject(err) : resolve(res)));
    autocannon.track(inst, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
  });
  const summarize = (name, r, cpu) => ({
    name, duration_s: duration, connections, status_codes: r.statusCodeStats, load_avg_1m: Number(loadavg()[0].toFixed(1)),
    sidecar_cpu_ms_per_req: Number((cpu / r.requests.total).toFixed(3)),
    req_per_s: Math.round(r.requests.average), latency_p50_ms: r.latency.p50, latency_p99_ms: r.latency.p99,
    requests: r.requests.total, non2xx: r.non2xx, status_5xx: r['5xx'], errors: r.errors, timeouts: r.timeouts,
    pass: r.requests.average >= 2000 && r.latency.p99 <= 50 && r['5xx'] === 0 && r.non2xx === 0,
  });
  const measured = async (name, opts) => {
    const c0 = cpuMs();
    const r = await run(opts);
    return summarize(name, r, cpuMs() - c0);
  };
  const results = [];
  // Reference: the unauthenticated /health (one DB ping) shows what this machine gives right now.
  const ref = await new Promise((resolve, reject) => autocannon({ url: `${url}/health`, connections, duration: Math.min(5, duration) }, (e, r) => (e ? reject(e) : resolve(r))));
  console.error(`reference GET /health: ${Math.round(ref.requests.average)} req/s, p99 ${ref.latency.p99} ms (machine load ${(await import('node:os')).loadavg()[0].toFixed(1)})`);
  if (only === undefined || only === 'leaderboard') {
    results.push(await measured(`GET /v1/sweeps/{id}/leaderboard?limit=50`, { url: `${url}/v1/sweeps/${sweep.id}/leaderboard?limit=50` }));
  }
  let n = 0;
  if (only === undefined || only === 'post') results.push(await measured('POST /v1/packs', {
    url,
    requests: [{ method: 'POST', path: '/v1/packs', setupRequest: (req) => ({ ...req, body: JSON.stringify(pack(`bench-${process.pid}-${n++}`)) }) }],
  }));
  console.log(JSON.stringify({ target: { req_per_s: 2000, p99_ms: 50, status_5xx: 0 }, results }, null, 2));
  if (only === undefined && values.bin === undefined) writeFileSync(join(root, 'bench', 'server-last.json'), `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
