import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '..', '..');
export const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');
const CHROMIUM = process.env['SIGMATIQ_CHROMIUM'] ?? '/usr/bin/chromium';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Lab {
  base: string;
  token: string;
  dir: string;
  url(p: string): string;
  stop(): Promise<void>;
}

/** Starts JupyterLab from .venv on a free loopback port, rooted at a scratch folder with copies of `notebooks`. */
export async function startJupyterLab(notebooks: readonly string[]): Promise<Lab> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sigmatiq-ui-'));
  const dataDir = path.join(dir, '.sigmatiq');
  mkdirSync(dataDir);
  // No news toast over the notebook.
  const settings = path.join(dir, '.settings', '@jupyterlab', 'apputils-extension');
  mkdirSync(settings, { recursive: true });
  writeFileSync(path.join(settings, 'notification.jupyterlab-settings'), JSON.stringify({ fetchNews: 'false' }));
  for (const nb of notebooks) copyFileSync(path.join(ROOT, 'notebooks', nb), path.join(dir, nb));
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const venvBin = path.join(ROOT, '.venv', 'bin');
  const args = [
    'lab', '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0', '--no-browser',
    `--ServerApp.root_dir=${dir}`, `--IdentityProvider.token=${token}`,
    `--LabApp.workspaces_dir=${path.join(dir, '.workspaces')}`, `--LabApp.user_settings_dir=${path.join(dir, '.settings')}`,
    ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
  ];
  const proc: ChildProcess = spawn(path.join(venvBin, 'jupyter'), args, {
    cwd: dir,
    env: { ...process.env, SIGMATIQ_DATA_DIR: dataDir, PATH: `${venvBin}${path.delimiter}${process.env['PATH'] ?? ''}` },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let log = '';
  proc.stderr?.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-20_000);
  });
  const base = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const res = await fetch(`${base}api/status?token=${token}`);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`JupyterLab did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    base,
    token,
    dir,
    url: (p: string) => `${base}${p}${p.includes('?') ? '&' : '?'}token=${token}`,
    stop: async () => {
      if (proc.pid !== undefined && proc.exitCode === null) {
        // Jupyter's own shutdown stops its kernels (and the proxied sidecar) before the server exits.
        await fetch(`${base}api/shutdown?token=${token}`, { method: 'POST' }).catch(() => undefined);
        await new Promise((r) => {
          const t = setTimeout(r, 15_000);
          proc.once('exit', () => {
            clearTimeout(t);
            r(undefined);
          });
        });
      }
      if (proc.pid !== undefined && proc.exitCode === null) {
        process.kill(-proc.pid, 'SIGTERM');
        await new Promise((r) => {
          const t = setTimeout(() => {
            if (proc.pid !== undefined && proc.exitCode === null) process.kill(-proc.pid, 'SIGKILL');
            r(undefined);
          }, 15_000);
          proc.once('exit', () => {
            clearTimeout(t);
            r(undefined);
          });
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens a notebook and waits until its kernel is idle. JupyterLab sometimes asks which kernel to
 * use for a notebook opened in a fresh workspace while the kernel specs are still loading; the
 * answer is the notebook's own kernel, Sigmatiq (TypeScript).
 */
export async function openNotebook(page: Page, lab: Lab, name: string): Promise<void> {
  await page.goto(lab.url(`lab/tree/${name}`));
  await page.locator('.jp-Notebook').first().waitFor({ state: 'visible', timeout: 120_000 });
  // The toolbar says "idle" before any kernel exists: ask the server for the notebook's kernel.
  const idle = page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').first();
  const kernelReady = async (): Promise<boolean> => {
    const res = await fetch(lab.url('api/sessions'));
    const sessions = (await res.json()) as { path: string; kernel: { execution_state: string; connections: number } | null }[];
    return sessions.some((s) => s.path === name && s.kernel?.execution_state === 'idle' && s.kernel.connections > 0);
  };
  await waitFor(page, async () => (await kernelReady()) && (await idle.count()) > 0 && (await page.locator('.jp-Dialog').count()) === 0, 180_000, `the kernel of ${name} did not become idle`);
}

/** Answers JupyterLab's "Select Kernel" dialog with Sigmatiq (TypeScript) if it is showing. */
export async function answerKernelDialog(page: Page): Promise<void> {
  const dialog = page.locator('.jp-Dialog', { hasText: 'Select Kernel' });
  if (await dialog.isVisible()) {
    await dialog.locator('select').selectOption({ label: 'Sigmatiq (TypeScript)' });
    await dialog.locator('button', { hasText: /^Select$/ }).click();
  }
}

/**
 * Polls `done` every 500 ms until it holds (bounded by `timeoutMs`), answering the kernel dialog
 * meanwhile: a command run while the kernel is still connecting makes JupyterLab ask for one.
 */
export async function waitFor(page: Page, done: () => Promise<boolean>, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await answerKernelDialog(page);
    if (await done()) return;
    if (Date.now() > deadline) throw new Error(message);
    await page.waitForTimeout(500);
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false });
}

/** Clicks `item` (exact label) in the top-level menu `menu` of JupyterLab's menu bar. */
export async function menu(page: Page, menuLabel: string, item: string): Promise<void> {
  await page.locator('.lm-MenuBar-itemLabel', { hasText: new RegExp(`^${menuLabel}$`) }).click();
  await page.locator('.lm-Menu-itemLabel', { hasText: new RegExp(`^${item}$`) }).first().click();
}

/** Runs the command palette entry whose label is exactly `label`. */
export async function runCommand(page: Page, label: string): Promise<void> {
  const input = page.locator('.lm-CommandPalette-input');
  // Right after a reload the first shortcut can be lost (seen once in 3 runs): press again, bounded.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+Shift+C');
    try {
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      break;
    } catch (e) {
      if (attempt >= 4) throw e;
    }
  }
  await input.fill(label);
  await page.locator('.lm-CommandPalette-item', { has: page.locator('.lm-CommandPalette-itemLabel', { hasText: new RegExp(`^${label}$`) }) }).first().click();
}
