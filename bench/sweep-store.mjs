// Sweep store benchmark (run by bench/sweep.bench.mjs, or alone: node bench/sweep-store.mjs):
// 1,000,000 combination rows in a DuckDB file (10 sweeps x 100,000, written 50,000 at a time via
// SweepStore.writeCombos), then the top 50 of one sweep by rank and by Sharpe, median of 20 runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(fileURLToPath(import.meta.url), '..', '..');
const { SweepStore, createRng, METRIC_KEYS } = require(join(root, 'engine', 'dist', 'index.js'));

export async function benchStore({ rows = 1_000_000, sweeps = 10, batch = 50_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-store-bench-'));
  const store = await SweepStore.open(join(dir, 'sweeps.duckdb'));
  try {
    const rng = createRng(7);
    const perSweep = rows / sweeps;
    const t0 = performance.now();
    for (let s = 0; s < sweeps; s++) {
      for (let off = 0; off < perSweep; off += batch) {
        const out = [];
        for (let i = off; i < Math.min(perSweep, off + batch); i++) {
          const metrics = {};
          for (const k of METRIC_KEYS) metrics[k] = rng.normal();
          metrics.total_trades = rng.int(0, 200);
          out.push({ combo_id: i, params: { fast: i % 100, slow: Math.floor(i / 100) }, config_hash: `${s}-${i.toString(16).padStart(8, '0')}`, metrics, gate: { status: 'PASS', checks: [] }, kept: true, rank: i + 1 });
        }
        await store.writeCombos(`sweep_${s}`, out);
      }
    }
    const writeSeconds = (performance.now() - t0) / 1000;
    const count = await store.count();
    const time = async (sql, params) => {
      for (let i = 0; i < 3; i++) await store.query(sql, params);
      const xs = [];
      for (let i = 0; i < 20; i++) {
        const t = performance.now();
        const r = await store.query(sql, params);
        xs.push(performance.now() - t);
        if (r.length !== 50) throw new Error(`expected 50 rows, got ${r.length}`);
      }
      xs.sort((a, b) => a - b);
      return xs[10];
    };
    const byRank = await time('SELECT * FROM sweep_combos WHERE sweep_id = $1 ORDER BY rank LIMIT 50', ['sweep_3']);
    const bySharpe = await time('SELECT * FROM sweep_combos WHERE sweep_id = $1 ORDER BY sharpe_ratio DESC NULLS LAST, total_return DESC, config_hash LIMIT 50', ['sweep_3']);
    const global = await time('SELECT * FROM sweep_combos ORDER BY sharpe_ratio DESC NULLS LAST LIMIT 50', []);
    return { rows: count, write_seconds: writeSeconds, top50_by_rank_ms: byRank, top50_by_sharpe_ms: bySharpe, top50_all_sweeps_ms: global };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchStore()));
}
