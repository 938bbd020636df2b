/**
 * %leaderboard / sq.leaderboard and %lineage / sq.lineage against a real sidecar (in-process, port 0,
 * temp data dir). Sweeps are seeded through the sidecar's typed client with hand-made metrics, so every
 * expected rank, heatmap cell and graph below is checked by hand (and the ranks also against the
 * sidecar's own SQL leaderboard endpoint, an independent implementation).
 */
import { importBars, LEADERBOARD_MIME, type LeaderboardDocV1, realDataDir, runSweep } from '@sigmatiq/engine';
import { startSidecar, type RunningSidecar } from '@sigmatiq/server/dist/sidecar.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sq } from '../api.js';
import { type DisplayOutput, toMimeBundle } from '../display/mime.js';
import { builtinMagics } from '../magics/index.js';
import type { MagicContext } from '../magics/registry.js';
import { connectSidecar, expectOk, type SigmatiqClient } from '../sidecar/client.js';
import { SidecarLocator } from '../sidecar/locate.js';
import { setDefaultLocator } from './context.js';
import { loadLeaderboard, recordSweepStatistics } from './leaderboard.js';
import { loadLineage } from './lineage.js';

let dir: string;
let sidecar: RunningSidecar;
let locator: SidecarLocator;
let client: SigmatiqClient;
const ids: Record<string, string> = {};
const hashes: Record<string, string> = {};

/**
 * The sidecar judges gates itself (engine evaluateGates; this stand-in pack has no gates section, so the defaults:
 * min_trades 20, relaxed 16; min_sharpe 0, relaxed −0.1; max_drawdown 0.5). The trade count makes each combination
 * reach its intended gate: 40 trades PASS, 18 MARGINAL, 12 FAIL (every Sharpe below is ≥ 0 except combo 4's −0.2,
 * itself a FAIL, so Sharpe never changes the verdict).
 */
const TRADES_FOR: Record<'PASS' | 'MARGINAL' | 'FAIL', number> = { PASS: 40, MARGINAL: 18, FAIL: 12 };

function metrics(sharpe: number, gate: 'PASS' | 'MARGINAL' | 'FAIL') {
  return {
    total_return: sharpe / 2, annualized_return: sharpe / 10, sharpe_ratio: sharpe, sortino_ratio: sharpe * 1.2, max_drawdown: 0.1,
    win_rate: 0.5, profit_factor: 1.3, total_trades: TRADES_FOR[gate], avg_trade_duration_days: 5, best_trade: 0.05, worst_trade: -0.03,
    avg_winner: 0.02, avg_loser: -0.01,
  };
}

async function post<T>(res: Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>, what: string): Promise<T> {
  return expectOk<T>(await res, what);
}

// Grid sweep "grid-a": fast ∈ {5,10,20} × slow ∈ {50,100,200}; combo_id = 3·i + j.
// Sharpe by combo_id (hand-made): 0:0.1 1:0.9 2:0.4 3:0.9 4:-0.2 5:1.5 6:0.3 7:0.7 8:0.6; combo 5 is pruned (kept=false).
const SHARPES = [0.1, 0.9, 0.4, 0.9, -0.2, 1.5, 0.3, 0.7, 0.6];
const GATE_OF: Record<number, 'PASS' | 'MARGINAL' | 'FAIL'> = { 0: 'FAIL', 1: 'PASS', 2: 'MARGINAL', 3: 'PASS', 4: 'FAIL', 5: 'PASS', 6: 'FAIL', 7: 'MARGINAL', 8: 'PASS' };
const FAST = [5, 10, 20];
const SLOW = [50, 100, 200];

async function seedSweep(tag: string, items: { combo_id: number; params: Record<string, unknown>; sharpe: number; gate: 'PASS' | 'MARGINAL' | 'FAIL'; kept: boolean }[]): Promise<string> {
  const sweep = await post<{ id: string; config_hash: string }>(client.v1.sweeps.$post({
    json: { model_version_id: ids['model_version'] ?? '', data_snapshot_id: ids['data_snapshot'] ?? '', type: 'simple', date_range: { start: '2001-01-02', end: '2018-12-31' }, parameters: { tag }, tag },
    header: {},
  }), 'create sweep');
  hashes[tag] = sweep.config_hash;
  await post(client.v1.sweeps[':id'].start.$post({ param: { id: sweep.id }, header: {} }), 'start');
  await post(client.v1.sweeps[':id'].combinations.$post({
    param: { id: sweep.id }, header: {},
    json: { items: items.map((c) => ({ combo_id: c.combo_id, params: c.params, backtest_metrics: metrics(c.sharpe, c.gate), gate_results: { quality: c.gate }, kept: c.kept })) },
  }), 'combinations');
  await post(client.v1.sweeps[':id'].complete.$post({ param: { id: sweep.id }, header: {} }), 'complete');
  return sweep.id;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sq-readside-'));
  sidecar = await startSidecar({ dataDir: dir, port: 0, host: '127.0.0.1' });
  locator = new SidecarLocator({ SIGMATIQ_DATA_DIR: dir, SIGMATIQ_URL: sidecar.url }, dir);
  client = (await connectSidecar(locator)).client;
  const pack = await post<{ id: string; content_hash: string }>(client.v1.packs.$post({
    json: { name: 'swing', version: '1.0.0', metadata: { vibe: { time_horizon: 'swing', risk_appetite: 'moderate', decision_style: 'systematic', market_preference: 'equities', execution_character: 'patient' } }, supported_instruments: ['stock'], default_instrument: 'stock', tags: [], author: 'tests', spec: { indicators: [] } },
    header: {},
  }), 'pack');
  ids['pack'] = pack.id;
  hashes['pack'] = pack.content_hash;
  const model = await post<{ id: string }>(client.v1.models.$post({ json: { pack_id: pack.id, name: 'swing-spx' }, header: {} }), 'model');
  ids['model'] = model.id;
  const mv = await post<{ id: string; config_hash: string }>(client.v1.models[':id'].versions.$post({ param: { id: model.id }, json: { config_yaml: 'pack: swing\nstrategy: momentum\n' }, header: {} }), 'version');
  ids['model_version'] = mv.id;
  hashes['model_version'] = mv.config_hash;
  const file = path.join(dir, 'bars.bin');
  writeFileSync(file, 'stand-in bytes for a snapshot file');
  const snap = await post<{ id: string; hash: string }>(client.v1['data-snapshots'].$post({
    json: { name: 'SPX 1d test', uri: file, date_range: { start: '2001-01-02', end: '2018-12-31' }, data_source_version: 'test' }, header: {},
  }), 'snapshot');
  ids['data_snapshot'] = snap.id;
  hashes['data_snapshot'] = snap.hash;

  ids['grid-a'] = await seedSweep('grid-a', SHARPES.map((s, k) => ({
    combo_id: k, params: { fast: FAST[Math.floor(k / 3)], slow: SLOW[k % 3] }, sharpe: s, gate: GATE_OF[k] ?? 'FAIL', kept: k !== 5,
  })));
  // A three-parameter sweep, created last (so it is `latest`), without recorded statistics.
  ids['three'] = await seedSweep('three', [0, 1, 2, 3].map((k) => ({ combo_id: k, params: { a: k % 2, b: Math.floor(k / 2), c: k }, sharpe: k / 10, gate: 'PASS', kept: true })));
  // DSR/PBO of grid-a as `%sweep` records them: posted to the sidecar.
  await post(client.v1.sweeps[':id'].statistics.$post({ param: { id: ids['grid-a'] }, json: { trials: 9, dsr: 0.91, pbo: 0.125 }, header: {} }), 'statistics');
  const run = await post<{ id: string; run_hash: string }>(client.v1.runs.$post({ json: { config: { combo_id: 1 }, data_snapshot_id: snap.id, sweep_id: ids['grid-a'] }, header: {} }), 'run');
  ids['run'] = run.id;
  hashes['run'] = run.run_hash;
}, 60_000);

afterAll(async () => {
  await sidecar.close();
  rmSync(dir, { recursive: true, force: true });
});

function magicCtx(name: string, args: string[], shown: DisplayOutput[]): MagicContext {
  return {
    name, args, body: undefined, signal: new AbortController().signal,
    out: { stream: () => undefined, display: (o) => shown.push(o), clear: () => undefined },
    kernel: { versions: {}, registry: builtinMagics(), sidecar: locator },
  };
}

describe('leaderboard from the sidecar', () => {
  it('ranks kept combinations by Sharpe desc, ties by total return then combo_id, with stats recorded in the sidecar and a heatmap', async () => {
    const board = await loadLeaderboard(locator, 'grid-a');
    // By hand: kept sharpes 1:0.9 3:0.9 7:0.7 8:0.6 2:0.4 6:0.3 0:0.1 4:-0.2 (5 pruned) -> combo order 1,3,7,8,2,6,0,4.
    expect(board.ranked.map((r) => r.combo_id)).toEqual([1, 3, 7, 8, 2, 6, 0, 4]);
    expect(board.winner?.combo_id).toBe(1);
    // Oracle 2: the sidecar's SQL leaderboard endpoint.
    const lb = await expectOk<{ items: { rank: number; combo_id: number }[] }>(await client.v1.sweeps[':id'].leaderboard.$get({ param: { id: ids['grid-a'] ?? '' }, query: { limit: '50' } }), 'lb');
    expect(board.ranked.map((r) => [r.rank, r.combo_id])).toEqual(lb.items.map((r) => [r.rank, r.combo_id]));
    expect(board.doc.stats).toEqual({ trials: 9, dsr: 0.91, pbo: 0.125 });
    expect(board.doc.params).toEqual(['fast', 'slow']);
    expect(board.doc.rows[0]).toMatchObject({ rank: 1, gate: 'PASS', params: { fast: 5, slow: 100 }, metrics: { sharpe_ratio: 0.9, total_return: 0.45 } });
    expect(board.doc.title).toContain('swing-spx v1');
    expect(board.doc.title).toContain('SPX 1d test');
    // Heatmap z[slow][fast] = best Sharpe, pruned combo 5 included (fast 10, slow 200: 1.5): by hand from SHARPES.
    expect(board.heatmap?.x).toBe('fast');
    expect(board.heatmap?.z).toEqual([[0.1, 0.9, 0.3], [0.9, -0.2, 0.7], [0.4, 1.5, 0.6]]);
    const fig = board.heatmapOutput()?.data['application/vnd.plotly.v1+json'] as { data: { type: string }[] } | undefined;
    expect(fig?.data[0]?.type).toBe('heatmap');
    expect(board[toMimeBundle]().data[LEADERBOARD_MIME]).toEqual(board.doc);
  });

  it('filters by gate (ranks stay over all kept) and cuts at --top', async () => {
    const board = await loadLeaderboard(locator, ids['grid-a'], { gates: ['PASS', 'MARGINAL'], top: 3 });
    // Kept PASS/MARGINAL in rank order: 1 (rank 1), 3 (2), 7 (3), 8 (4), 2 (5) -> top 3.
    expect(board.doc.rows.map((r) => [r.rank, r.gate])).toEqual([[1, 'PASS'], [2, 'PASS'], [3, 'MARGINAL']]);
    const fails = await loadLeaderboard(locator, 'grid-a', { gates: ['FAIL'] });
    expect(fails.doc.rows.map((r) => r.rank)).toEqual([6, 7, 8]);
  });

  it('latest = the most recent sweep; no recorded statistics -> DSR/PBO null and said so; no heatmap for three parameters', async () => {
    const board = await loadLeaderboard(locator);
    expect(board.sweep.id).toBe(ids['three']);
    expect(board.stats).toEqual({ trials: 4, dsr: null, pbo: null, source: 'not recorded' });
    expect(board.doc.title).toContain('DSR/PBO not recorded');
    expect(board.heatmap).toBeUndefined();
    const picked = await loadLeaderboard(locator, 'three', { heatmap: ['a', 'c'] });
    // By hand: a = k % 2, c = k, Sharpe k/10 -> x (a) values [0, 1], y (c) values [0..3]; each (a, c) pair occurs once.
    expect(picked.heatmap?.z).toEqual([[0, null], [null, 0.1], [0.2, null], [null, 0.3]]);
  });

  it('stable error codes', async () => {
    await expect(loadLeaderboard(locator, 'nope')).rejects.toMatchObject({ code: 'SWEEP_NOT_FOUND' });
    await expect(loadLeaderboard(locator, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'SWEEP_NOT_FOUND' });
    await expect(loadLeaderboard(locator, 'grid-a', { top: 0 })).rejects.toMatchObject({ code: 'LEADERBOARD_TOP_INVALID' });
    await expect(loadLeaderboard(locator, 'grid-a', { gates: ['GOOD' as 'PASS'] })).rejects.toMatchObject({ code: 'LEADERBOARD_GATE_INVALID' });
    await expect(loadLeaderboard(locator, 'grid-a', { heatmap: ['fast', 'fast'] })).rejects.toMatchObject({ code: 'LEADERBOARD_HEATMAP_INVALID' });
  });

  it('%leaderboard shows the leaderboard, then returns the heatmap; sq.leaderboard is the same object and still wraps documents', async () => {
    const shown: DisplayOutput[] = [];
    const out = await builtinMagics().resolve('leaderboard', 'line').run(magicCtx('leaderboard', ['grid-a', '--top', '2', '--gate', 'pass'], shown));
    const doc = shown[0]?.data[LEADERBOARD_MIME] as LeaderboardDocV1 | undefined;
    expect(doc?.rows.map((r) => r.rank)).toEqual([1, 2]);
    expect(shown[0]?.data['text/plain']).toContain('trials 9, DSR 0.9100, PBO 0.1250');
    expect(out?.data['application/vnd.plotly.v1+json']).toBeDefined();
    setDefaultLocator(locator);
    try {
      const viaApi = await sq.leaderboard('grid-a', { top: 2, gates: ['PASS'] });
      expect(viaApi.doc).toEqual(doc);
      const wrapped = sq.leaderboard(viaApi.doc);
      expect(wrapped.data[LEADERBOARD_MIME]).toEqual(doc);
    } finally {
      setDefaultLocator(undefined);
    }
  });
});

describe('lineage from the sidecar', () => {
  it('a sweep by tag: upstream pack -> model -> version and snapshot, downstream run, each with its hashes', async () => {
    const g = await loadLineage(locator, 'sweep', 'grid-a');
    const level = (type: string): number | undefined => g.find(type)?.level;
    expect([level('pack'), level('model'), level('model_version'), level('data_snapshot'), level('sweep'), level('run')]).toEqual([-3, -2, -1, -1, 0, 1]);
    expect(g.find('sweep')?.id).toBe(ids['grid-a']);
    expect(g.find('sweep')?.hashes).toContainEqual({ hash_type: 'config', hash: hashes['grid-a'] });
    expect(g.find('model_version')?.hashes).toContainEqual({ hash_type: 'config', hash: hashes['model_version'] });
    expect(g.find('data_snapshot')?.hashes).toContainEqual({ hash_type: 'data', hash: hashes['data_snapshot'] });
    expect(g.find('run')?.hashes).toContainEqual({ hash_type: 'config', hash: hashes['run'] });
    expect(g.find('model')?.label).toBe('swing-spx');
    expect(g.edges).toHaveLength(5);
    const bundle = g[toMimeBundle]().data;
    expect(bundle['image/svg+xml']).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(String(bundle['text/html'])).toContain(hashes['grid-a'] ?? 'x');
    expect(bundle['text/plain']).toContain(`sweep grid-a (${ids['grid-a'] ?? ''}) — config ${(hashes['grid-a'] ?? '').slice(0, 12)}`);
    // Same graph -> same bytes.
    expect((await loadLineage(locator, 'sweep', 'grid-a'))[toMimeBundle]().data['image/svg+xml']).toBe(bundle['image/svg+xml']);
  });

  it('directions, a model by name, a data snapshot down to its sweeps and run', async () => {
    const up = await loadLineage(locator, 'run', ids['run'] ?? '', { direction: 'up' });
    expect(up.downstream()).toEqual([]);
    expect(up.upstream().map((n) => n.type).sort()).toEqual(['data_snapshot', 'model', 'model_version', 'pack', 'sweep']);
    const down = await loadLineage(locator, 'model', 'swing-spx', { direction: 'down' });
    expect(down.root.id).toBe(ids['model']);
    expect(down.downstream().map((n) => n.type).sort()).toEqual(['model_version', 'run', 'sweep', 'sweep']);
    const snap = await loadLineage(locator, 'data_snapshot', ids['data_snapshot'] ?? '', { direction: 'down', depth: 1 });
    expect(snap.downstream().map((n) => n.type).sort()).toEqual(['run', 'sweep', 'sweep']);
  });

  it('the winner of a sweep as a combination: config hash, under its sweep, with the sweep upstream', async () => {
    const g = await loadLineage(locator, 'combination', 'grid-a:best');
    const combos = await expectOk<{ items: { combo_id: number; config_hash: string }[] }>(await client.v1.sweeps[':id'].combinations.$get({ param: { id: ids['grid-a'] ?? '' }, query: {} }), 'combos');
    expect(g.root).toEqual({ type: 'combination', id: `${ids['grid-a'] ?? ''}:1` });
    expect(g.find('combination')?.hashes).toEqual([{ hash_type: 'config', hash: combos.items.find((c) => c.combo_id === 1)?.config_hash }]);
    expect([g.find('sweep')?.level, g.find('model_version')?.level, g.find('pack')?.level]).toEqual([-1, -2, -4]);
    expect(g.edges).toContainEqual({ from: { type: 'sweep', id: ids['grid-a'] }, to: g.root });
    expect((await loadLineage(locator, 'combination', `${ids['grid-a'] ?? ''}:7`)).find('combination')?.label).toBe('#7 fast=20 slow=100');
  });

  it('stable error codes; %lineage validates before calling the sidecar', async () => {
    await expect(loadLineage(locator, 'sweep', 'nope')).rejects.toMatchObject({ code: 'SWEEP_NOT_FOUND' });
    await expect(loadLineage(locator, 'pack', '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'LINEAGE_NOT_FOUND' });
    await expect(loadLineage(locator, 'model', 'no-such-model')).rejects.toMatchObject({ code: 'LINEAGE_NOT_FOUND' });
    await expect(loadLineage(locator, 'combination', 'grid-a:99')).rejects.toMatchObject({ code: 'COMBINATION_NOT_FOUND' });
    await expect(loadLineage(locator, 'combination', 'grid-a')).rejects.toMatchObject({ code: 'LINEAGE_ID_INVALID' });
    await expect(loadLineage(locator, 'widget', 'x')).rejects.toMatchObject({ code: 'LINEAGE_TYPE_UNKNOWN' });
    await expect(loadLineage(locator, 'sweep', 'grid-a', { depth: 0 })).rejects.toMatchObject({ code: 'LINEAGE_OPTION_INVALID' });
    const shown: DisplayOutput[] = [];
    const out = await builtinMagics().resolve('lineage', 'line').run(magicCtx('lineage', ['combination', 'latest:best', '--direction', 'up'], shown));
    expect(out?.data['text/plain']).toContain(`Lineage of combination ${ids['three'] ?? ''}:3`);
    setDefaultLocator(locator);
    try {
      expect((await sq.lineage('sweep', 'latest')).root.id).toBe(ids['three']);
    } finally {
      setDefaultLocator(undefined);
    }
  });
});

// Last: it creates the most recent sweep, which would change what `latest` means above.
describe('statistics recorded by %sweep', () => {
  it('recordSweepStatistics round-trips a real engine sweep: the leaderboard shows its trials, DSR and PBO', async () => {
    const { bars } = await importBars(path.join(realDataDir(), 'sp500_daily_1999_2018.csv'), { symbol: 'SPX' });
    const sweepId = await seedSweep('roundtrip', [{ combo_id: 0, params: { fast: 5 }, sharpe: 0.2, gate: 'PASS', kept: true }]);
    const result = await runSweep(bars, {
      sweepId,
      target: { kind: 'rules', entry: 'cross_above(sma(close, fast), sma(close, 100))', exit: 'cross_below(sma(close, fast), sma(close, 100))', params: { fast: 10 } },
      space: { params: [{ name: 'fast', kind: 'list', values: [5, 10, 20, 40] }] },
    }, { workers: 0 });
    const recorded = await recordSweepStatistics(client, sweepId, result);
    const board = await loadLeaderboard(locator, 'roundtrip');
    // Oracle: the statistics the engine computed for this run.
    expect(board.stats).toEqual({ trials: result.statistics.trials, dsr: result.statistics.dsr?.dsr ?? null, pbo: result.statistics.pbo?.pbo ?? null, source: 'recorded' });
    expect(recorded).toEqual(board.stats);
    expect(board.stats.trials).toBe(4);
    expect(board.stats.pbo).not.toBeNull();
  });
});
