import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { realDataDir } from '../../data/real-data.js';
import { runCli } from '../run.js';
import type { CliIo } from '../types.js';

const root = mkdtempSync(join(tmpdir(), 'sigmatiq-cli-import-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (l) => out.push(l), stderr: (l) => err.push(l) };
}

describe('sigmatiq import', () => {
  const dir = realDataDir();
  const store = join(root, 'store');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.csv')).sort()) {
    it(`imports ${f}`, async () => {
      const io = capture();
      const code = await runCli(['import', join(dir, f), '--store', store], io, { cwd: root, env: {} });
      expect(io.err).toEqual([]);
      expect(code).toBe(0);
      const rec = JSON.parse(io.out.join('\n')) as { hash: string; row_count: number; file: string };
      expect(rec.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(rec.file).toBe(`${rec.hash}.parquet`);
      expect(readdirSync(store)).toContain(rec.file);
    });
  }

  it('re-import is idempotent; flags set symbol and interval; env picks the default store', async () => {
    const p = join(root, 'a.csv');
    writeFileSync(p, 'ts,open,high,low,close,volume\n2024-01-02,1,2,0.5,1.5,10\n2024-01-03,1.5,2,1,1.75,0\n');
    const env = { SIGMATIQ_DATA_DIR: join(root, 'envdir') };
    const io1 = capture();
    expect(await runCli(['import', 'a.csv', '--symbol', 'SPX', '--interval=1d'], io1, { cwd: root, env })).toBe(0);
    const io2 = capture();
    expect(await runCli(['import', 'a.csv', '--symbol', 'SPX', '--interval=1d'], io2, { cwd: root, env })).toBe(0);
    const r1 = JSON.parse(io1.out.join('\n')) as Record<string, unknown>;
    const r2 = JSON.parse(io2.out.join('\n')) as Record<string, unknown>;
    expect(r1).toMatchObject({ symbol: 'SPX', interval: '1d', row_count: 2, reused: false });
    expect(r2).toMatchObject({ hash: r1.hash, created_at: r1.created_at, reused: true });
    expect(readdirSync(join(root, 'envdir', 'snapshots')).filter((x) => x.endsWith('.parquet'))).toHaveLength(1);
  });

  it('bad input: exit 1 and one ERROR line with code, file and line', async () => {
    const p = join(root, 'bad.csv');
    writeFileSync(p, 'ts,open,high,low,close,volume\n2024-01-02,1,2,0.5,1.5,10\n2024-01-03,1.5,1,2,1.75,0\n');
    const io = capture();
    expect(await runCli(['import', p, '--store', join(root, 'bad-store')], io, { cwd: root, env: {} })).toBe(1);
    expect(io.out).toEqual([]);
    expect(io.err).toHaveLength(1);
    expect(io.err[0]).toBe(`ERROR DATA_HIGH_LOW: high 1 < low 2; nothing was imported (file ${p}, line 3, column high)`);
    const io2 = capture();
    expect(await runCli(['import'], io2, { cwd: root, env: {} })).toBe(2);
    expect(io2.err).toEqual(['ERROR CLI_MISSING_ARGUMENT: missing argument <file> (argument file)']);
    const io3 = capture();
    expect(await runCli(['import', p, '--interval', '3x'], io3, { cwd: root, env: {} })).toBe(1);
    expect(io3.err[0]).toMatch(/^ERROR DATA_BAD_INTERVAL: .* \(param interval\)$/);
  });
});
