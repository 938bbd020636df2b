// Test support (not exported from the package): real-data loading and the TA-Lib oracle process.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Bars } from '../../data/bars.js';
import { realDataDir } from '../../data/real-data.js';

export const REPO_ROOT = resolve(__dirname, '../../../..');

export type TestBars = Bars;

/**
 * A deliberately simple CSV reader for shared/data/real files (header ts,open,high,low,close,volume;
 * dates read as UTC midnight; empty volume reads as 0). Independent of the data layer on purpose.
 */
export function loadRealCsv(file: string): TestBars {
  const path = join(realDataDir(), file);
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
  const n = lines.length - 1;
  const cols = { ts: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const f = (lines[i + 1] ?? '').split(',');
    const t = f[0] ?? '';
    cols.ts[i] = Date.parse(t.length === 10 ? `${t}T00:00:00Z` : t);
    cols.open[i] = Number(f[1]);
    cols.high[i] = Number(f[2]);
    cols.low[i] = Number(f[3]);
    cols.close[i] = Number(f[4]);
    cols.volume[i] = f[5] === undefined || f[5] === '' ? 0 : Number(f[5]);
  }
  return { symbol: file, interval: '', ...cols, length: n };
}

export interface OracleCall {
  readonly fn: string;
  readonly inputs: readonly string[];
  readonly args?: Readonly<Record<string, number>>;
}

export const ORACLE_SCRIPT = join(REPO_ROOT, 'engine/src/indicators/oracle/talib_oracle.py');
export const VENV_PYTHON = join(REPO_ROOT, '.venv/bin/python');

/** Run TA-Lib (PyPI `ta-lib`) on a real file; throws a clear error when the venv or TA-Lib is missing. */
export function runTalib(file: string, calls: readonly OracleCall[]): { version: string; results: Float64Array[][] } {
  if (!existsSync(VENV_PYTHON)) {
    throw new Error(`TA-Lib oracle: ${VENV_PYTHON} is missing. Run \`npm run setup\` (or python3 -m venv .venv && .venv/bin/pip install -r requirements.txt).`);
  }
  const res = spawnSync(VENV_PYTHON, [ORACLE_SCRIPT, join(realDataDir(), file)], { input: JSON.stringify(calls), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (res.status !== 0) {
    throw new Error(`TA-Lib oracle failed (exit ${res.status}): ${res.stderr}. Install it with .venv/bin/pip install -r requirements.txt (pins ta-lib).`);
  }
  const parsed = JSON.parse(res.stdout) as { version: string; results: string[][] };
  return {
    version: parsed.version,
    results: parsed.results.map((outs) =>
      outs.map((b64) => {
        const buf = Buffer.from(b64, 'base64');
        return new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
      }),
    ),
  };
}
