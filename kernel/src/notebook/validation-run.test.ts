// validateRunAsync (worker thread) against the engine's validateRun on the caller's thread, on real S&P 500
// daily bars 2008-2018 with a fixed entry/exit rhythm. Needs the built worker (kernel/dist: `npm run build`).
// Oracle: the synchronous validateRun on the same input (seeds come from the config): identical record.
import { realDataDir, validateRun, type ValidateRunInput } from '@sigmatiq/engine';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateRunAsync } from './validation-run.js';

const rows = readFileSync(path.join(realDataDir(), 'sp500_daily_1999_2018.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','))
  .filter((f) => (f[0] ?? '') >= '2008-01-01');
const col = (i: number): Float64Array => Float64Array.from(rows, (f) => Number(f[i]));
const n = rows.length;
const bars = { symbol: 'SPX', interval: '1d', length: n, ts: Float64Array.from(rows, (f) => Date.parse(`${f[0] ?? ''}T00:00:00Z`)), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
const entry = Uint8Array.from({ length: n }, (_, i) => (i % 20 === 0 ? 1 : 0));
const exit = Uint8Array.from({ length: n }, (_, i) => (i % 20 === 10 ? 1 : 0));
const returns = Float64Array.from({ length: n - 1 }, (_, i) => (bars.close[i + 1] as number) / (bars.close[i] as number) - 1);
const input = (permutations: number): ValidateRunInput => ({
  config: { test: 'validation-run', permutations }, runHash: `h${permutations}`, periodsPerYear: 252,
  permutation: { bars, signals: { entry, exit }, config: {} }, permutationOptions: { permutations }, returns, bootstrapOptions: { resamples: 300 },
});

describe('validateRunAsync (worker thread)', () => {
  it('gives validateRun\'s record and payload exactly', async () => {
    const sync = validateRun(input(100));
    const out = await validateRunAsync(input(100));
    expect(out.record).toEqual(sync.record);
    expect(out.payload).toEqual(sync.payload);
    expect(out.payload.permutation?.p_value).toBeGreaterThan(0);
  }, 60_000);

  it('an abort stops it with VALIDATE_CANCELLED (an already aborted signal before any work)', async () => {
    const ac = new AbortController();
    const run = validateRunAsync(input(100_000), ac.signal);
    setTimeout(() => ac.abort(), 50);
    await expect(run).rejects.toMatchObject({ code: 'VALIDATE_CANCELLED' });
    await expect(validateRunAsync(input(10), ac.signal)).rejects.toMatchObject({ code: 'VALIDATE_CANCELLED' });
  }, 60_000);

  it('an engine error inside the worker rejects with the code validateRun throws', async () => {
    const bad = { ...input(10), permutationOptions: { permutations: -1 } };
    let code = '';
    try {
      validateRun(bad);
    } catch (e) {
      code = (e as { code?: string }).code ?? '';
    }
    expect(code).toMatch(/^[A-Z_]+$/);
    await expect(validateRunAsync(bad)).rejects.toMatchObject({ name: 'SigmatiqError', code });
  }, 60_000);
});
