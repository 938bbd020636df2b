import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { SidecarLocator } from '../sidecar/locate.js';
import { trainMagic, trainOptionsFromFlags } from './train.js';

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
