import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseServerArgs } from './server-command.js';
import { findRepoRoot } from './paths.js';

// This test runs the BUILT bin: `npx tsc -b server` first (npm test builds before testing).
const BIN = path.resolve(__dirname, '../../dist/cli/main.js');
const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

describe('parseServerArgs', () => {
  it('binds 127.0.0.1 unless --host is given, and takes port 0', () => {
    const a = parseServerArgs(['--port', '0', '--data-dir', '/tmp/x'], { HOST: '0.0.0.0' });
    expect(a).toEqual({ port: 0, dataDir: '/tmp/x', host: '127.0.0.1', exitWithParent: false });
    const b = parseServerArgs(['--port', '9000', '--data-dir', 'rel', '--host', '::1'], {});
    expect(b).toMatchObject({ port: 9000, host: '::1', dataDir: path.resolve('rel') });
  });

  it('defaults the data dir to $SIGMATIQ_DATA_DIR, else <repo root>/.sigmatiq', () => {
    expect(parseServerArgs([], { SIGMATIQ_DATA_DIR: '/srv/sq' })).toMatchObject({ dataDir: '/srv/sq', port: 8787 });
    const root = findRepoRoot(__dirname);
    expect(root).not.toBeNull();
    expect(JSON.parse(readFileSync(path.join(root ?? '', 'package.json'), 'utf8'))).toHaveProperty('workspaces');
    expect(parseServerArgs([], {})).toMatchObject({ dataDir: path.join(root ?? '', '.sigmatiq') });
  });

  it('rejects bad ports and unknown options with INVALID_PARAM', () => {
    expect(() => parseServerArgs(['--port', '70000'], {})).toThrow(/INVALID_PARAM|--port/);
    expect(() => parseServerArgs(['--port', 'abc'], {})).toThrow(/--port/);
    expect(() => parseServerArgs(['--bogus'], {})).toThrow(/bogus/);
  });
});

describe('sigmatiq server (built bin, real HTTP)', () => {
  it('listens on a free port, writes sidecar.json, serves /health, and cleans up on SIGTERM', async () => {
    expect(existsSync(BIN), 'build the server first: npx tsc -b server').toBe(true);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sq-cli-'));
    tmpDirs.push(dataDir);
    const child = spawn(process.execPath, [BIN, 'server', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const nl = stdout.indexOf('\n');
        if (nl >= 0) resolve(stdout.slice(0, nl));
      });
      child.once('exit', (code) => reject(new Error(`exited ${String(code)} before listening: ${stderr}`)));
    });
    try {
      const m = /^Sigmatiq sidecar listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
      expect(m, line).not.toBeNull();
      const url = m?.[1] ?? '';
      const port = Number(m?.[2]);
      expect(port).toBeGreaterThan(0);
      const info = JSON.parse(readFileSync(path.join(dataDir, 'sidecar.json'), 'utf8')) as Record<string, unknown>;
      expect(info).toMatchObject({ url, port, pid: child.pid, version: expect.any(String) as unknown });
      expect(new Date(String(info['started_at'])).toISOString()).toBe(info['started_at']);
      const res = await fetch(`${url}/health`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { status: string }).status).toBe('healthy');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(existsSync(path.join(dataDir, 'sidecar.json'))).toBe(false);
    expect(stdout.trim().split('\n')).toHaveLength(1);
  });

  it('with --exit-with-parent stops and removes sidecar.json when the process that started it is killed', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sq-cli-'));
    tmpDirs.push(dataDir);
    // The middle process stands in for Jupyter: it starts the sidecar, prints the sidecar's pid, then waits.
    const middle = spawn(process.execPath, ['-e', `
      const { spawn } = require('node:child_process');
      const c = spawn(process.execPath, [${JSON.stringify(BIN)}, 'server', '--port', '0', '--data-dir', ${JSON.stringify(dataDir)}, '--exit-with-parent'], { stdio: ['ignore', 'pipe', 'inherit'] });
      c.stdout.once('data', () => console.log(String(c.pid)));
      setInterval(() => {}, 1000);
    `], { stdio: ['ignore', 'pipe', 'inherit'] });
    const sidecarPid = await new Promise<number>((resolve, reject) => {
      middle.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
      middle.once('exit', (code) => reject(new Error(`middle process exited ${String(code)}`)));
    });
    expect(Number.isInteger(sidecarPid) && sidecarPid > 1).toBe(true);
    expect(existsSync(path.join(dataDir, 'sidecar.json'))).toBe(true);
    middle.kill('SIGKILL');
    // Bounded wait: the sidecar checks its parent every second.
    const alive = (): boolean => { try { process.kill(sidecarPid, 0); return true; } catch { return false; } };
    for (let i = 0; i < 150 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    const stoppedByItself = !alive();
    if (!stoppedByItself) process.kill(sidecarPid, 'SIGKILL');
    expect(stoppedByItself).toBe(true);
    expect(existsSync(path.join(dataDir, 'sidecar.json'))).toBe(false);
  });
});
