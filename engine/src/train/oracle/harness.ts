// Test support (not exported): runs oracle/sk_oracle.py (scikit-learn, LightGBM) in the project's
// .venv, reusing the TA-Lib oracle's paths (engine/src/indicators/oracle/harness.ts).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, VENV_PYTHON } from '../../indicators/oracle/harness.js';
import type { FeatureMatrix } from '../matrix.js';

export const SK_ORACLE = join(REPO_ROOT, 'engine/src/train/oracle/sk_oracle.py');

export function rowsOf(x: FeatureMatrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < x.rows; i++) out.push(x.columns.map((c) => c[i] as number));
  return out;
}

/** Run one request, or a list of them in one Python process (sklearn's import costs ~2 s). */
export function runSk<T>(req: Record<string, unknown> | readonly Record<string, unknown>[]): T {
  if (!existsSync(VENV_PYTHON)) throw new Error(`scikit-learn oracle: ${VENV_PYTHON} is missing. Run npm run setup (installs requirements.txt into .venv).`);
  const res = spawnSync(VENV_PYTHON, [SK_ORACLE], { input: JSON.stringify(req), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (res.status !== 0) throw new Error(`scikit-learn oracle failed (exit ${res.status}): ${res.stderr}. Install with .venv/bin/pip install -r requirements.txt (pins scikit-learn, lightgbm).`);
  return JSON.parse(res.stdout) as T;
}
