import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DisplayOutput } from '../display/mime.js';
import type { TrainProgress } from '../notebook/training-view.js';
import { SidecarLocator } from '../sidecar/locate.js';
import { liveTrainProgress, trainMagic, trainOptionsFromFlags } from './train.js';

describe('%train flags', () => {
  it('maps flags to TrainOptions', () => {
    const o = trainOptionsFromFlags(trainMagic, { combos: '2,1', model: 'logreg', label: 'tb:3%:2%:10', folds: '4', embargo: '2d', calibration: 'isotonic', seed: '7', threshold: '0.6', trees: '50', depth: '2' });
    expect(o).toEqual({
      combos: [2, 1], model: 'logreg', calibration: 'isotonic', label: { kind: 'triple_barrier', profitTake: 0.03, stopLoss: 0.02, maxBars: 10 },
      embargoMs: 2 * 86_400_000, folds: 4, seed: 7, threshold: 0.6, gbdt: { nEstimators: 50, maxDepth: 2 },
    });
    expect(trainOptionsFromFlags(trainMagic, { combos: '3' })).toEqual({ combos: [3], model: 'gbdt', calibration: 'sigmoid' });
  });

  it('refuses bad flags with stable codes', () => {
    const bad: [Record<string, string>, string][] = [
      [{}, 'MAGIC_USAGE'],
      [{ combos: '1', model: 'svm' }, 'MAGIC_USAGE'],
      [{ combos: '1', calibration: 'platt' }, 'MAGIC_USAGE'],
      [{ combos: '1', threshold: '1' }, 'MAGIC_USAGE'],
      [{ combos: '1', folds: '1' }, 'MAGIC_USAGE'],
      [{ combos: '1', trees: '0' }, 'MAGIC_USAGE'],
      [{ combos: 'a' }, 'TRAIN_ARG_INVALID'],
      [{ combos: '1', label: 'fwd' }, 'TRAIN_ARG_INVALID'],
      [{ combos: '1', embargo: '1y' }, 'TRAIN_ARG_INVALID'],
    ];
    for (const [flags, code] of bad) expect(() => trainOptionsFromFlags(trainMagic, flags), JSON.stringify(flags)).toThrow(expect.objectContaining({ code }) as Error);
  });
});

describe('the one argument of %train, %validate and %walkforward', () => {
  it('is required, and a second one is refused (MAGIC_USAGE naming what is missing or extra)', async () => {
    const { builtinMagics } = await import('./index.js');
    const registry = builtinMagics();
    const run = (name: string, args: string[]) => registry.resolve(name, 'line').run({
      name, args, body: undefined, signal: new AbortController().signal,
      out: { stream: () => undefined, display: () => undefined, clear: () => undefined },
      kernel: { versions: {}, registry, sidecar: new SidecarLocator({}, tmpdir()) },
    });
    await expect(run('train', ['--combos', '1'])).rejects.toMatchObject({ code: 'MAGIC_USAGE', message: expect.stringContaining('needs <sweep>') as string });
    await expect(run('train', ['a', 'b', '--combos', '1'])).rejects.toMatchObject({ code: 'MAGIC_USAGE', message: expect.stringContaining('unexpected argument "b"') as string });
    await expect(run('validate', [])).rejects.toMatchObject({ code: 'MAGIC_USAGE', message: expect.stringContaining('needs <target>') as string });
    await expect(run('walkforward', ['x:1', 'y', '--train', '2y', '--test', '1y'])).rejects.toMatchObject({ code: 'MAGIC_USAGE', message: expect.stringContaining('unexpected argument "y"') as string });
  });
});

describe('%help of the training magics', () => {
  it('lists %train, %training, %validate and %walkforward with their usage', async () => {
    const { builtinMagics } = await import('./index.js');
    const registry = builtinMagics();
    const run = (args: string[]) => registry.resolve('help', 'line').run({
      name: 'help', args, body: undefined, signal: new AbortController().signal,
      out: { stream: () => undefined, display: () => undefined, clear: () => undefined },
      kernel: { versions: {}, registry, sidecar: new SidecarLocator({}, tmpdir()) },
    });
    const list = String((await run([]))?.data['text/plain']);
    for (const m of ['%train', '%training', '%validate', '%walkforward']) expect(list).toContain(m);
    expect(String((await run(['walkforward']))?.data['text/plain'])).toContain('--train 2y --test 6m [--step 6m] [--anchored] [--reoptimize]');
  });
});

describe('%train live progress display', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const step = (name: string, status: 'pending' | 'running' | 'done'): TrainProgress['steps'][number] => ({ name, status });
  const p = (status: string, steps: TrainProgress['steps'], combo_id = 1): TrainProgress => ({ combo_id, job_id: `job-${combo_id}-0000`, status, steps });

  it('shows status changes at once, step updates at most every period (latest wins), and flushes on close', () => {
    vi.useFakeTimers();
    const shown: { text: string; update: boolean; id: string | undefined }[] = [];
    const live = liveTrainProgress({ stream: () => undefined, clear: () => undefined, display: (o: DisplayOutput, opts) => shown.push({ text: String(o.data['text/plain']), update: opts?.update === true, id: opts?.displayId }) }, 500);
    live(p('queued', []));
    live(p('training', [step('dataset', 'pending')]));
    expect(shown).toHaveLength(2); // two status changes
    live(p('training', [step('dataset', 'running')]));
    live(p('training', [step('dataset', 'done'), step('leakage_check', 'running')]));
    expect(shown).toHaveLength(2); // within the period: held back
    vi.advanceTimersByTime(500);
    expect(shown).toHaveLength(3); // the latest of the two
    expect(shown[2]?.text).toContain('✓ dataset  ▶ leakage_check');
    live(p('training', [step('dataset', 'done'), step('leakage_check', 'done')]));
    expect(shown).toHaveLength(3);
    live.close();
    expect(shown).toHaveLength(4);
    expect(shown[3]?.text).toContain('✓ leakage_check');
    vi.advanceTimersByTime(2000);
    expect(shown).toHaveLength(4); // no timer left after close
    live(p('completed', [step('dataset', 'done')]));
    live(p('completed', [step('dataset', 'done')])); // terminal statuses are always shown (the sidecar's after the engine's)
    expect(shown).toHaveLength(6);
    expect(shown.every((s, i) => s.id === shown[0]?.id && s.update === (i > 0))).toBe(true);
  });

  it('a second combination appears at once on its own line', () => {
    vi.useFakeTimers();
    const texts: string[] = [];
    const live = liveTrainProgress({ stream: () => undefined, clear: () => undefined, display: (o: DisplayOutput) => texts.push(String(o.data['text/plain'])) }, 500);
    live(p('completed', [step('dataset', 'done')], 1));
    live(p('queued', [], 2));
    expect(texts).toHaveLength(2);
    expect(texts[1]?.split('\n')).toHaveLength(2);
    live.close();
  });
});
