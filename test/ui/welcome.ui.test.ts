import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { type Lab, launchBrowser, menu, openNotebook, screenshot, startJupyterLab, waitFor } from './jupyterlab.js';

describe('welcome notebook in a real JupyterLab', () => {
  let lab: Lab;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    lab = await startJupyterLab(['00-welcome.ipynb']);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await openNotebook(page, lab, '00-welcome.ipynb');
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await screenshot(page, `failed-${ctx.task.name.replace(/\W+/g, '-')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await lab?.stop();
  });

  it('runs every cell and renders the leaderboard and the Plotly chart', async () => {
    await menu(page, 'Run', 'Run All Cells');
    const table = page.locator('.sq-Leaderboard-table');
    // JupyterLab renders off-screen cells lazily: wait for the output, then bring it into view.
    await waitFor(page, async () => (await table.count()) > 0, 240_000, 'no leaderboard table was rendered');
    await table.scrollIntoViewIfNeeded();
    await table.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'welcome-leaderboard');
    // 3 x 3 combinations, each with a gate colour class.
    await expect(table.locator('tbody tr').count()).resolves.toBe(9);
    const gates = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset['gate']));
    for (const g of gates) expect(['PASS', 'MARGINAL', 'FAIL']).toContain(g);
    await expect(page.locator('.sq-Leaderboard-header').first().textContent()).resolves.toMatch(/trials 9/);

    // Sorting by a header click reorders rows and marks the column.
    const sharpeHeader = table.locator('th', { hasText: 'sharpe_ratio' });
    await sharpeHeader.click();
    await expect(sharpeHeader.getAttribute('data-sort')).resolves.toBe('descending');

    const plot = page.locator('.sq-Plotly .main-svg').first();
    await plot.waitFor({ state: 'attached', timeout: 120_000 });
    await plot.scrollIntoViewIfNeeded();
    await plot.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'welcome-plotly');
    await expect(page.locator('.sq-Plotly .scatterlayer .trace').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count()).resolves.toBe(0);
    await expect(page.locator('.jp-RenderedText[data-mime-type="application/vnd.jupyter.error"]').count()).resolves.toBe(0);
  });

  it('shows the sidecar as healthy in the status bar', async () => {
    const status = page.locator('.sq-SidecarStatus');
    await status.waitFor({ state: 'visible', timeout: 60_000 });
    await expect.poll(async () => status.getAttribute('data-status'), { timeout: 90_000, interval: 1000 }).toBe('healthy');
    await screenshot(page, 'status-bar');
    await expect(status.textContent()).resolves.toBe('Sigmatiq: healthy');
  });
});
