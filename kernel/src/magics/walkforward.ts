import { walkForwardTarget } from '../notebook/validation.js';
import { parseMagicArgs, soleArgument, stringFlag } from './args.js';
import { intFlag } from './model.js';
import { type Magic, usageError } from './registry.js';

const FLAGS = [
  { name: 'train', type: 'string', description: 'train window, e.g. 2y, 18m' },
  { name: 'test', type: 'string', description: 'test window, e.g. 6m' },
  { name: 'step', type: 'string', description: 'step between windows (default: the test length)' },
  { name: 'anchored', type: 'boolean', description: 'anchored (expanding) train windows' },
  { name: 'reoptimize', type: 'boolean', description: "re-optimize the sweep's space on each train window (default: the target's parameters)" },
  { name: 'workers', type: 'string', description: 'sweep worker threads (default 0: inline)' },
] as const;

export const walkforwardMagic: Magic = {
  name: 'walkforward',
  summary: 'Walk-forward of a trained model\'s or a combination\'s sweep: per-window table, stitched OOS equity, degradation (persisted)',
  usage: '%walkforward <trained model id | sweep:combo> --train 2y --test 6m [--step 6m] [--anchored] [--reoptimize] [--workers N]',
  help:
    '%walkforward <target> --train 2y --test 6m: windows over the sweep\'s data (rolling, or --anchored: every train window starts at the first ' +
    'bar). By default the target\'s own parameters run in each window, in sample on the train part and out of sample on the test part; ' +
    'with --reoptimize the sweep\'s whole parameter space is re-optimized on each train part (the sweep engine, ranked by Sharpe) and the winner ' +
    'runs on the test part. Shows each window\'s parameters, in-sample and out-of-sample Sharpe and degradation, the stitched out-of-sample equity ' +
    'curve and the overall degradation (IS mean - OOS mean) / |IS mean|. Stored as a Validation with the walk-forward summary. Durations: ' +
    'Nd, Nw, Nm, Ny. Interrupting the kernel cancels the window sweep that runs.\n' +
    'Notebook API: const w = await sq.walkforward(target, { train: \'2y\', test: \'6m\', anchored: false }); w.degradation, w.result.windows.',
  forms: ['line'],
  async run({ args, kernel, out, signal }) {
    const parsed = parseMagicArgs(walkforwardMagic, args, FLAGS);
    const target = soleArgument(walkforwardMagic, parsed, '<target> (a trained model id or sweep:combo)');
    const train = stringFlag(parsed, 'train');
    const test = stringFlag(parsed, 'test');
    if (train === undefined || test === undefined) throw usageError(walkforwardMagic, 'needs --train and --test (e.g. --train 2y --test 6m)');
    const step = stringFlag(parsed, 'step');
    const workers = intFlag(walkforwardMagic, stringFlag(parsed, 'workers'), 'workers', 0);
    const view = await walkForwardTarget(kernel.sidecar, target, {
      train, test, signal, anchored: parsed.flags['anchored'] === true, reoptimize: parsed.flags['reoptimize'] === true,
      ...(step === undefined ? {} : { step }), ...(workers === undefined ? {} : { workers }),
    });
    const parts = view.parts();
    const last = parts.pop();
    for (const p of parts) out.display(p);
    return last;
  },
};
