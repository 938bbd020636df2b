import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { type Lab, launchBrowser, menu, openNotebook, runCommand, screenshot, startJupyterLab, waitFor } from './jupyterlab.js';

// The Leaderboard, Packs and Lineage panels against a real JupyterLab, kernel and sidecar. A notebook runs a
// small sweep with %sweep (3 x 3 grid on 20 years of real S&P 500 daily bars), then a second, bigger sweep
// (%%sweep, 3,000 random combinations, one worker) that streams its combinations to the sidecar while it runs:
// the Leaderboard panel is watched filling live and the sweep is cancelled from the panel. Other cases feed
// sweeps through the sidecar's HTTP API (through Jupyter's proxy, as the page does) to control their gates.

const NOTEBOOK = 'panels.ipynb';
const LIVE_TRIALS = 3000;
const cells = [
  [
    "import path from 'node:path';",
    "import { realDataDir } from '@sigmatiq/engine';",
    "import { sq } from '@sigmatiq/kernel';",
    "const imported = await sq.data.import(path.join(realDataDir(), 'sp500_daily_1999_2018.csv'));",
    "await sq.model.create('ui-mr', { pack: 'swing', strategy: 'mean_reversion_swing', data: imported.snapshot.hash.slice(0, 16) });",
  ].join('\n'),
  '%sweep run ui-mr --type simple --param entry_k=10..30:10 --param exit_k=70..90:10 --tag ui-small',
  // Run by the live-update test only (not by the first test): a sweep that is still running while the panel is
  // watched. 3,000 (the pro plan's custom cap) on the S&P 500 daily bars take ~5 s on one worker (measured), too
  // short to watch and cancel (and ~12 s on a month of GBP/USD minute bars proved too short once in 3 runs); on
  // six months of real EUR/USD minute bars (186,000 bars) they take ~45 s. The test cancels after a few seconds.
  [
    "const fx = await sq.data.import(path.join(realDataDir(), 'eurusd_m1_2017h1.csv'));",
    "await sq.model.create('ui-fx', { pack: 'swing', strategy: 'mean_reversion_swing', data: fx.snapshot.hash.slice(0, 16) });",
  ].join('\n'),
  [
    '%%sweep ui-fx --tag ui-live --workers 1',
    'type: custom',
    'sampler: random',
    `trials: ${LIVE_TRIALS}`,
    'seed: 3',
    'space:',
    '  entry_k: 5..40:1',
    '  exit_k: 60..95:1',
    '  stoch.fastk_period: 3..50:1',
    '  stoch.slowk_period: 1..10:1',
    'pbo_blocks: 0',
  ].join('\n'),
];

function writeNotebook(dir: string): void {
  const nb = {
    cells: cells.map((source, i) => ({ cell_type: 'code', execution_count: null, id: `c${i}`, metadata: {}, outputs: [], source })),
    metadata: { kernelspec: { display_name: 'Sigmatiq (TypeScript)', language: 'typescript', name: 'sigmatiq' }, language_info: { name: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(path.join(dir, NOTEBOOK), JSON.stringify(nb, null, 1));
}

interface Sweep { id: string; tag: string | null; model_version_id: string; data_snapshot_id: string; date_range: { start: string; end: string }; run: { status: string } }
interface Combination { combo_id: number; params: Record<string, unknown>; backtest_metrics: Record<string, number>; gate_results: Record<string, string>; kept: boolean }

describe('Sigmatiq panels in a real JupyterLab', () => {
  let lab: Lab;
  let browser: Browser;
  let page: Page;
  let small: Sweep;

  /** The sidecar through Jupyter's proxy: Jupyter's token authenticates, the proxy adds the sidecar key. */
  const api = async <T>(p: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    const res = await fetch(lab.url(`sigmatiq/${p}`), {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', 'x-sigmatiq-client': 'ui-test' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${p}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };

  beforeAll(async () => {
    lab = await startJupyterLab([]);
    writeNotebook(lab.dir);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    await openNotebook(page, lab, NOTEBOOK);
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await screenshot(page, `failed-panels-${ctx.task.name.replace(/\W+/g, '-')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await lab?.stop();
  });

  it('refuses a proxied mutation without the extension header (CSRF guard), accepts reads without any key in the request', async () => {
    const res = await fetch(lab.url('sigmatiq/v1/packs'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('CSRF_HEADER_REQUIRED');
    await expect(api<{ items: unknown[] }>('v1/packs')).resolves.toHaveProperty('items');
  });

  it('runs a small sweep from the notebook and shows it in the Leaderboard panel: gates, header, heatmap, a row chart', async () => {
    // The first two cells only (the third is the live sweep of the next test): Shift+Enter runs and moves on.
    await page.locator('.jp-NotebookPanel .jp-Cell .jp-InputArea-editor').first().click({ timeout: 10_000 });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.press('Shift+Enter');
    let found: Sweep | undefined;
    await waitFor(page, async () => {
      const list = await api<{ items: Sweep[] }>('v1/sweeps?limit=50').catch(() => ({ items: [] as Sweep[] }));
      found = list.items.find((s) => s.tag === 'ui-small' && s.run.status === 'completed');
      return found !== undefined;
    }, 150_000, 'the notebook sweep did not complete');
    if (found === undefined) throw new Error('unreachable');
    small = found;
    await expect(page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]').count()).resolves.toBe(0);
    // Oracle: the kernel's sweep engine (fast path over shared indicator caches) recorded the metrics; the
    // sidecar re-runs each combination with the full simulator. Every one must reproduce them exactly.
    const smallCombos = (await api<{ items: Combination[] }>(`v1/sweeps/${small.id}/combinations?limit=50`)).items;
    expect(smallCombos).toHaveLength(9);
    for (const c of smallCombos) {
      const bt = await api<{ reproduced: boolean; metrics: Record<string, number | null>; recorded_metrics: Record<string, number> }>(`v1/sweeps/${small.id}/combinations/${c.combo_id}/backtest`);
      expect({ combo: c.combo_id, reproduced: bt.reproduced }).toEqual({ combo: c.combo_id, reproduced: true });
      expect(bt.recorded_metrics).toEqual(c.backtest_metrics);
    }

    await runCommand(page, 'Sigmatiq: Open Leaderboard');
    const panel = page.locator('.sq-LeaderboardPanel');
    await panel.waitFor({ state: 'visible', timeout: 30_000 });
    await panel.locator('select.sq-SweepSelect').selectOption(small.id);
    const rows = panel.locator('.sq-Leaderboard-table tbody tr');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const gates = await rows.evaluateAll((rs) => rs.map((r) => (r as HTMLElement).dataset['gate']));
    for (const g of gates) expect(['PASS', 'MARGINAL', 'FAIL']).toContain(g);
    await expect(panel.locator('.sq-Leaderboard-header').textContent()).resolves.toMatch(/trials 9 · DSR (\d\.\d{3}|n\/a) · PBO (\d\.\d{3}|n\/a)/);
    // The gates that judged the sweep, as the sidecar resolved them (GET /v1/sweeps/{id}/gate-policy).
    const policy = await api<{ thresholds: { min_trades: number; min_sharpe: number } }>(`v1/sweeps/${small.id}/gate-policy`);
    await expect.poll(() => panel.locator('.sq-Leaderboard-gates').textContent(), { timeout: 10_000 })
      .toMatch(new RegExp(`^Gates: trades ≥ ${policy.thresholds.min_trades} \\(MARGINAL ≥ [\\d.]+\\) · Sharpe ≥ ${policy.thresholds.min_sharpe} `));
    await panel.locator('.sq-Heatmap .main-svg').first().waitFor({ state: 'attached', timeout: 60_000 });

    // Sort by Sharpe (descending first); the gate filter hides the rows of an unchecked gate.
    await panel.locator('.sq-Leaderboard-table th', { hasText: 'sharpe_ratio' }).click();
    await expect(panel.locator('.sq-Leaderboard-table th', { hasText: 'sharpe_ratio' }).getAttribute('data-sort')).resolves.toBe('descending');
    const shownGates = async (): Promise<string[]> => rows.evaluateAll((rs) => rs.map((r) => (r as HTMLElement).dataset['gate'] ?? ''));
    const first = (await shownGates())[0] ?? 'FAIL';
    await panel.locator(`input[data-gate="${first}"]`).uncheck();
    await expect.poll(async () => (await shownGates()).includes(first), { timeout: 10_000 }).toBe(false);
    await panel.locator(`input[data-gate="${first}"]`).check();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(gates.length);

    await rows.first().click();
    const summary = panel.locator('.sq-Combo-summary');
    await summary.waitFor({ state: 'visible', timeout: 60_000 });
    // The sidecar re-ran the combination from the model version, snapshot and params: same metrics as the sweep recorded.
    await expect(summary.locator('[data-reproduced]').getAttribute('data-reproduced')).resolves.toBe('true');
    await panel.locator('.sq-Equity .scatterlayer .trace').first().waitFor({ state: 'attached', timeout: 60_000 });
    await expect(panel.locator('.sq-Trades-table tbody tr').count()).resolves.toBeGreaterThan(0);
    await expect(panel.locator('button[data-action="csv"]').isEnabled()).resolves.toBe(true);
    await panel.locator('.sq-Equity').scrollIntoViewIfNeeded();
    await screenshot(page, 'panel-leaderboard');

    // From the selected row to its lineage: the combination under its sweep, with its config hash.
    await panel.locator('button[data-action="lineage"]').click();
    const root = page.locator('.sq-LineagePanel .sq-LineageNode.sq-root');
    await expect.poll(() => root.getAttribute('data-type'), { timeout: 30_000 }).toBe('combination');
    await expect(root.locator('.sq-LineageHash').textContent()).resolves.toMatch(/^config [0-9a-f]{16}/);
    await expect(page.locator('.sq-LineagePanel .sq-LineageNode[data-type="sweep"]').count()).resolves.toBe(1);
  });

  it('fills live while a notebook %%sweep runs, and a Cancel from the panel stops the kernel sweep (partials kept)', async () => {
    // Run the third cell (FX data and model) and the fourth (the 3,000-combination sweep) from the notebook.
    await page.locator('.lm-DockPanel .lm-TabBar-tab', { hasText: NOTEBOOK }).first().click();
    const cell = page.locator('.jp-NotebookPanel .jp-Cell').nth(2);
    await cell.locator('.jp-InputArea-editor').click({ timeout: 10_000 });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.press('Shift+Enter');
    const sweepCell = page.locator('.jp-NotebookPanel .jp-Cell').nth(3);
    let live: Sweep | undefined;
    await waitFor(page, async () => {
      const list = await api<{ items: Sweep[] }>('v1/sweeps?limit=50').catch(() => ({ items: [] as Sweep[] }));
      live = list.items.find((s) => s.tag === 'ui-live');
      return live !== undefined && live.run.status !== 'queued';
    }, 60_000, 'the notebook %%sweep did not start');
    if (live === undefined) throw new Error('unreachable');
    expect(live.run.status).toBe('running');

    await runCommand(page, 'Sigmatiq: Open Leaderboard');
    const panel = page.locator('.sq-LeaderboardPanel');
    await panel.locator('button[data-action="refresh"]').click();
    await panel.locator('select.sq-SweepSelect').selectOption(live.id);
    await expect.poll(() => panel.getAttribute('data-status'), { timeout: 20_000 }).toBe('running');
    // The panel polls every second while the sweep runs; the kernel streams finished combinations. The count grows.
    const progress = panel.locator('.sq-Progress');
    const count = async (): Promise<number> => Number((await progress.getAttribute('data-count')) ?? 'NaN');
    await expect.poll(count, { timeout: 20_000 }).toBeGreaterThan(0);
    const first = await count();
    await expect.poll(count, { timeout: 20_000 }).toBeGreaterThan(first);
    await expect(panel.getAttribute('data-status')).resolves.toBe('running');
    await expect(progress.textContent()).resolves.toMatch(/^running · \d+% · \d+ combinations · updating every second$/);
    await screenshot(page, 'panel-leaderboard-live');

    await panel.locator('button[data-action="cancel"]').click();
    await expect.poll(() => panel.getAttribute('data-status'), { timeout: 20_000 }).toBe('cancelled');
    await expect(panel.locator('button[data-action="cancel"]').isDisabled()).resolves.toBe(true);

    // The kernel saw the cancel on its next progress post, stopped, stored its partial results and printed the summary.
    await expect(cell.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]').count()).resolves.toBe(0);
    const output = sweepCell.locator('.jp-OutputArea');
    await expect.poll(() => output.textContent(), { timeout: 60_000 }).toMatch(/cancelled \(cancelled in the sidecar\)/);
    await expect(output.textContent()).resolves.toMatch(new RegExp(`Sweep ${live.id} \\[ui-fx\\] cancelled: \\d+/${LIVE_TRIALS}`));
    await expect(output.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]').count()).resolves.toBe(0);
    await expect(output.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count()).resolves.toBe(0);

    const final = await api<Sweep>(`v1/sweeps/${live.id}`);
    expect(final.run.status).toBe('cancelled');
    let stored = 0;
    for (let offset = 0; offset < LIVE_TRIALS; offset += 500) {
      const got = (await api<{ items: Combination[] }>(`v1/sweeps/${live.id}/combinations?limit=500&offset=${offset}`)).items.length;
      stored += got;
      if (got < 500) break;
    }
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(LIVE_TRIALS);
    expect(stored).toBeGreaterThanOrEqual(first);
    // The panel, refreshed after the kernel's final write, shows the cancelled sweep with every stored combination.
    await panel.locator('button[data-action="refresh"]').click();
    await expect.poll(count, { timeout: 20_000 }).toBe(stored);
    await expect(progress.textContent()).resolves.toMatch(new RegExp(`^cancelled · \\d+% · ${stored} combinations$`));
    await screenshot(page, 'panel-leaderboard-cancelled');
  });

  it('shows a clear message and a Retry button when the sidecar is unreachable, and recovers', async () => {
    const panel = page.locator('.sq-LeaderboardPanel');
    await page.route('**/sigmatiq/v1/**', (route) => route.fulfill({ status: 503, contentType: 'text/html', body: '<html>proxy error</html>' }));
    await panel.locator('button[data-action="refresh"]').click();
    const message = panel.locator('.sq-Panel-message[data-kind="unavailable"]');
    await message.waitFor({ state: 'visible', timeout: 20_000 });
    await expect(message.textContent()).resolves.toMatch(/sidecar is not reachable/);
    await screenshot(page, 'panel-sidecar-unreachable');
    await page.unroute('**/sigmatiq/v1/**');
    await message.locator('button[data-action="retry"]').click();
    await expect.poll(() => panel.locator('.sq-Panel-message').getAttribute('data-kind'), { timeout: 20_000 }).toBe('');
  });

  it('restores the Leaderboard panel and its sweep after a reload', async () => {
    const panel = page.locator('.sq-LeaderboardPanel');
    await panel.locator('select.sq-SweepSelect').selectOption(small.id);
    await expect.poll(() => panel.getAttribute('data-status'), { timeout: 20_000 }).toBe('completed');
    await page.waitForTimeout(1_500); // the layout restorer saves the workspace on a debounce
    await page.reload();
    const restored = page.locator('.sq-LeaderboardPanel');
    await restored.waitFor({ state: 'attached', timeout: 120_000 });
    await expect.poll(() => restored.locator('select.sq-SweepSelect').inputValue(), { timeout: 30_000 }).toBe(small.id);
  });

  it('opens Packs from the launcher, browses a pack and inserts a %model create cell into the notebook', async () => {
    await page.locator('.jp-NotebookPanel').first().waitFor({ state: 'attached', timeout: 60_000 });
    await page.locator('.lm-DockPanel .lm-TabBar-addButton').first().click();
    await page.locator('.jp-LauncherCard', { hasText: /^Packs$/ }).first().click();
    const panel = page.locator('.sq-PacksPanel');
    await panel.waitFor({ state: 'visible', timeout: 30_000 });
    const item = panel.locator('.sq-PackItem[data-pack="swing"]').first();
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    await item.click();
    const card = panel.locator('.sq-PackCard[data-pack="swing"]');
    await card.waitFor({ state: 'visible', timeout: 10_000 });
    await expect(card.locator('.sq-Strategy').count()).resolves.toBeGreaterThan(1);
    await expect(card.textContent()).resolves.toMatch(/Vibe[\s\S]*Indicators[\s\S]*Strategies[\s\S]*Gates/);
    await screenshot(page, 'panel-packs');
    await card.locator('button[data-action="insert-model"][data-strategy="breakout_swing"]').click();
    const inserted = page.locator('.jp-NotebookPanel .jp-Cell .cm-content', { hasText: '%model create swing-breakout_swing --pack swing --strategy breakout_swing' });
    await inserted.first().waitFor({ state: 'attached', timeout: 20_000 });
  });

  it('draws the lineage of the sweep with hashes and re-centres on a clicked node', async () => {
    await runCommand(page, 'Sigmatiq: Open Lineage');
    const panel = page.locator('.sq-LineagePanel');
    await panel.waitFor({ state: 'visible', timeout: 30_000 });
    await panel.locator('select.sq-LineageType').selectOption('sweep');
    await panel.locator('input.sq-LineageId').fill(small.id);
    await panel.locator('button[data-action="show"]').click();
    const node = (type: string) => panel.locator(`.sq-LineageNode[data-type="${type}"]`);
    await node('model_version').first().waitFor({ state: 'attached', timeout: 30_000 });
    for (const t of ['data_snapshot', 'model', 'pack']) await expect(node(t).count()).resolves.toBeGreaterThan(0);
    await expect(node('data_snapshot').first().locator('.sq-LineageHash').textContent()).resolves.toMatch(/^data [0-9a-f]{16}/);
    await screenshot(page, 'panel-lineage');
    await node('model').first().click();
    await expect.poll(() => panel.locator('.sq-LineageNode.sq-root').getAttribute('data-type'), { timeout: 20_000 }).toBe('model');
    await expect(node('sweep').count()).resolves.toBeGreaterThan(0);
  });

  /**
   * A completed sweep fed through the HTTP API whose gates the sidecar judges (engine evaluateGates) as 0 PASS,
   * 1 MARGINAL, 2 FAIL: its quality_gates leave only min_trades 20 binding (relaxed 16), and the combos carry
   * 40, 18 and 12 trades.
   */
  let gated: Sweep;
  const GATES = ['PASS', 'MARGINAL', 'FAIL'] as const;
  const TRADES = [40, 18, 12] as const;
  const ONLY_TRADES = { thresholds: { min_trades: 20, min_sharpe: -1000, max_drawdown: 1, min_win_rate: 0, min_profit_factor: 0 } };

  it('Leaderboard: Train inserts a %train cell for a PASS row, and is disabled with the reason on a FAIL row', async () => {
    gated = await api<Sweep>('v1/sweeps', {
      method: 'POST',
      body: { model_version_id: small.model_version_id, data_snapshot_id: small.data_snapshot_id, type: 'simple', date_range: small.date_range, parameters: { entry_k: [10, 20, 30], exit_k: [70] }, quality_gates: ONLY_TRADES, tag: 'ui-train' },
    });
    await api(`v1/sweeps/${gated.id}/start`, { method: 'POST' });
    const combos = (await api<{ items: Combination[] }>(`v1/sweeps/${small.id}/combinations?limit=50`)).items.slice(0, 3);
    await api(`v1/sweeps/${gated.id}/combinations`, {
      method: 'POST',
      body: { items: combos.map((c, i) => ({ combo_id: i, params: c.params, backtest_metrics: { ...c.backtest_metrics, total_trades: TRADES[i] ?? 12 }, gate_results: { quality: GATES[i] ?? 'FAIL' }, kept: true })) },
    });
    await api(`v1/sweeps/${gated.id}/complete`, { method: 'POST' });

    await runCommand(page, 'Sigmatiq: Open Leaderboard');
    const panel = page.locator('.sq-LeaderboardPanel');
    await panel.locator('button[data-action="refresh"]').click();
    await panel.locator('select.sq-SweepSelect').selectOption(gated.id);
    const train = (combo: number) => panel.locator(`button[data-action="train"][data-combo="${combo}"]`);
    // The previous sweep's table (9 rows, also with a combo 2) stays until the new one is drawn: wait for 3 rows.
    await expect.poll(() => panel.locator('.sq-Leaderboard-table tbody tr').count(), { timeout: 20_000 }).toBe(3);
    await expect(panel.getAttribute('data-status')).resolves.toBe('completed');
    await expect(train(0).isEnabled()).resolves.toBe(true);
    await expect(train(1).isEnabled()).resolves.toBe(true);
    await expect(train(2).isDisabled()).resolves.toBe(true);
    await expect(train(2).getAttribute('title')).resolves.toMatch(/failed its gates \(FAIL\)/);
    await panel.locator('.sq-Leaderboard-table').scrollIntoViewIfNeeded();
    await screenshot(page, 'panel-leaderboard-train');
    await train(1).click();
    const line = `%train ${gated.id} --combos 1`;
    await page.locator('.jp-NotebookPanel .jp-Cell .cm-content', { hasText: line }).first().waitFor({ state: 'attached', timeout: 20_000 });
    // The button does not also select the row (no re-run of the combination).
    await expect(panel.locator('.sq-Leaderboard-table tr.sq-selected').count()).resolves.toBe(0);
  });

  it('Training panel: lists a job created through the HTTP API, follows its progress live, shows metrics and importance, restores after reload', async () => {
    interface Job { id: string; status: string }
    const job = await api<Job>('v1/training-jobs', { method: 'POST', body: { sweep_id: gated.id, combo_ids: [0, 1], model_type: 'gbdt', hyperparameters: { trees: 50, depth: 3 } } });
    expect(job.status).toBe('queued');

    await page.locator('.lm-DockPanel .lm-TabBar-addButton').first().click();
    await page.locator('.jp-LauncherCard', { hasText: /^Training$/ }).first().click();
    const panel = page.locator('.sq-TrainingPanel');
    await panel.waitFor({ state: 'visible', timeout: 30_000 });
    const row = panel.locator(`tr.sq-Training-row[data-job="${job.id}"]`);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 20_000 }).toBe('queued');
    await expect(row.textContent()).resolves.toMatch(/gbdt[\s\S]*0, 1/);

    // Live: the panel polls while a job is queued or training; no Refresh click from here on.
    const t0 = Date.now() - 3_000;
    await api(`v1/training-jobs/${job.id}/start`, { method: 'POST' });
    await api(`v1/training-jobs/${job.id}/progress`, {
      method: 'POST',
      body: { progress: 0.5, steps: [{ name: 'dataset', status: 'done', duration_ms: 1_200 }, { name: 'fit', status: 'running', started_at: new Date(t0).toISOString() }, { name: 'artifact', status: 'pending' }] },
    });
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe('training');
    await expect.poll(() => row.locator('.sq-Bar-label').textContent(), { timeout: 10_000 }).toBe('50%');
    await expect(row.locator('li[data-step="dataset"]').textContent()).resolves.toBe('dataset done 1.2 s');
    await expect(row.locator('li[data-step="fit"]').textContent()).resolves.toMatch(/^fit running \d+\.\d s so far$/);
    await expect(row.locator('.sq-Step-summary').textContent()).resolves.toBe('1/3 steps');

    await api(`v1/training-jobs/${job.id}/metrics`, {
      method: 'POST',
      body: { items: [
        { split: 'train', accuracy: 0.71, precision: 0.7, recall: 0.66, f1: 0.68, auc_roc: 0.78 },
        { split: 'validation', fold: 0, accuracy: 0.6, precision: 0.58, recall: 0.5, f1: 0.54, auc_roc: 0.62 },
        { split: 'validation', fold: 1, accuracy: 0.64, precision: 0.6, recall: 0.56, f1: 0.58, auc_roc: 0.66 },
      ] },
    });
    await api(`v1/training-jobs/${job.id}/feature-importance`, { method: 'POST', body: { items: [{ feature: 'rsi_14', gain: 12.5, permutation: 0.03 }, { feature: 'atr_14', gain: 30, permutation: 0.05 }, { feature: 'ret_5', gain: 4 }] } });
    await api(`v1/training-jobs/${job.id}/complete`, { method: 'POST' });
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe('completed');
    await expect.poll(() => panel.getAttribute('data-live'), { timeout: 10_000 }).toBe('0');

    // Cancel from the panel: enabled only on a live selected job; the sidecar records it cancelled (the kernel
    // running a real job stops at its next progress post: kernel/src/notebook/training.integration.test.ts).
    const cancel = panel.locator('button[data-action="cancel-job"]');
    const job2 = await api<Job>('v1/training-jobs', { method: 'POST', body: { sweep_id: gated.id, combo_ids: [1], model_type: 'logreg', hyperparameters: {} } });
    await api(`v1/training-jobs/${job2.id}/start`, { method: 'POST' });
    const row2 = panel.locator(`tr.sq-Training-row[data-job="${job2.id}"]`);
    await panel.locator('button[data-action="refresh"]').click();
    await expect.poll(() => row2.getAttribute('data-status'), { timeout: 20_000 }).toBe('training');
    await row2.click();
    await expect.poll(() => cancel.isEnabled(), { timeout: 10_000 }).toBe(true);
    await cancel.click();
    await expect.poll(() => row2.getAttribute('data-status'), { timeout: 10_000 }).toBe('cancelled');
    await expect(api<Job>(`v1/training-jobs/${job2.id}`)).resolves.toMatchObject({ status: 'cancelled' });
    await expect.poll(() => cancel.isEnabled(), { timeout: 10_000 }).toBe(false);

    await row.click();
    await expect(cancel.isEnabled()).resolves.toBe(false); // a completed job cannot be cancelled
    const card = panel.locator(`.sq-Training-card[data-job="${job.id}"]`);
    await card.waitFor({ state: 'visible', timeout: 20_000 });
    // Hand-checked: train recorded once (fold null); validation = mean of folds 0 and 1, AUC (0.62 + 0.66) / 2 = 0.64.
    await expect(card.locator('tr[data-split="train"] td[data-metric="auc_roc"]').textContent()).resolves.toBe('0.7800');
    await expect(card.locator('tr[data-split="validation"] td').first().textContent()).resolves.toBe('validation (mean of 2 folds)');
    await expect(card.locator('tr[data-split="validation"] td[data-metric="auc_roc"]').textContent()).resolves.toBe('0.6400');
    await panel.locator('.sq-Importance .barlayer .trace').first().waitFor({ state: 'attached', timeout: 60_000 });
    await expect(panel.locator('.sq-Importance .barlayer .trace').count()).resolves.toBe(2);
    await screenshot(page, 'panel-training');

    await page.waitForTimeout(1_500); // the layout restorer saves the workspace on a debounce
    await page.reload();
    const restored = page.locator(`.sq-TrainingPanel tr.sq-Training-row.sq-selected[data-job="${job.id}"]`);
    await restored.waitFor({ state: 'attached', timeout: 120_000 });
  });

  it('follows the JupyterLab Dark theme: the panels are drawn with the theme colours', async () => {
    // The Leaderboard tab restored by the reload of the previous test (after a reload the palette's items
    // re-render for a while, so this test goes through tabs and menus).
    await page.locator('.lm-DockPanel .lm-TabBar-tab', { hasText: 'Sigmatiq Leaderboard' }).first().click({ timeout: 30_000 });
    const panel = page.locator('.sq-LeaderboardPanel');
    await panel.waitFor({ state: 'visible', timeout: 30_000 });
    await panel.locator('select.sq-SweepSelect').selectOption(small.id);
    await expect.poll(() => panel.locator('.sq-Leaderboard-table tbody tr').count(), { timeout: 20_000 }).toBe(9);
    // Relative luminance (WCAG 2 formula, sRGB linearised) of a computed CSS colour rgb(r, g, b).
    const luminance = async (selector: string, prop: 'background-color' | 'color'): Promise<number> =>
      page.evaluate(([sel, p]) => {
        const el = document.querySelector(sel ?? '');
        if (el === null) return Number.NaN;
        // Chromium serializes plain colours as rgb(r, g, b) and color-mix() results as color(srgb r g b).
        const css = getComputedStyle(el).getPropertyValue(p ?? '');
        const m = /rgba?\((\d+), (\d+), (\d+)/.exec(css);
        const f = /color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)/.exec(css);
        const channels = m !== null ? [m[1], m[2], m[3]].map((x) => Number(x) / 255) : f !== null ? [f[1], f[2], f[3]].map(Number) : null;
        if (channels === null) return Number.NaN;
        const lin = (c: number): number => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
        const [r, g, b] = channels.map(lin);
        return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
      }, [selector, prop]);
    await expect(page.locator('body').getAttribute('data-jp-theme-light')).resolves.toBe('true');
    const lightBg = await luminance('.sq-LeaderboardPanel', 'background-color');
    expect(lightBg).toBeGreaterThan(0.8);
    expect(await luminance('.sq-LeaderboardPanel', 'color')).toBeLessThan(0.2);
    // Gate cells and filter chips: a tinted background that keeps the text readable (WCAG contrast ≥ 4.5).
    const contrast = async (selector: string): Promise<number> => {
      const [bg, fg] = [await luminance(selector, 'background-color'), await luminance(selector, 'color')];
      return (Math.max(bg, fg) + 0.05) / (Math.min(bg, fg) + 0.05);
    };
    const gateCell = '.sq-LeaderboardPanel .sq-Leaderboard-table tbody td.sq-gate-cell';
    const gateChip = '.sq-LeaderboardPanel .sq-gate-label';
    expect(await contrast(gateCell)).toBeGreaterThan(4.5);
    expect(await contrast(gateChip)).toBeGreaterThan(4.5);

    await menu(page, 'Settings', 'Theme');
    await page.locator('.lm-Menu-itemLabel', { hasText: /^JupyterLab Dark$/ }).first().click({ timeout: 10_000 });
    await expect.poll(() => page.locator('body').getAttribute('data-jp-theme-light'), { timeout: 30_000 }).toBe('false');
    await page.locator('#jupyterlab-splash').waitFor({ state: 'detached', timeout: 30_000 }); // the theme-loading splash
    // Light background, dark text -> dark background, light text: the panel uses JupyterLab's variables, not fixed colours.
    await expect.poll(() => luminance('.sq-LeaderboardPanel', 'background-color'), { timeout: 20_000 }).toBeLessThan(0.1);
    expect(await luminance('.sq-LeaderboardPanel', 'color')).toBeGreaterThan(0.5);
    expect(await luminance('.sq-LeaderboardPanel .sq-Leaderboard-table tbody tr', 'color')).toBeGreaterThan(0.5);
    // In JupyterLab Dark the pale color3 tints made white gate text unreadable; the tints now follow the theme.
    expect(await contrast(gateCell)).toBeGreaterThan(4.5);
    expect(await contrast(gateChip)).toBeGreaterThan(4.5);
    await screenshot(page, 'panel-leaderboard-dark');
  });
});
