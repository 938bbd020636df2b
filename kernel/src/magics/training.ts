import { showTraining } from '../notebook/training.js';
import { parseMagicArgs, positionals } from './args.js';
import { type Magic, usageError } from './registry.js';

export const trainingMagic: Magic = {
  name: 'training',
  summary: 'Show a training job: metrics, ROC curve, feature importance, calibration',
  usage: '%training show <job>',
  help:
    '%training show <job id>: the job (status, steps with durations, seed, config_hash, trained model and artifact hash), the metrics ' +
    '(train in sample, validation out of fold, AUC per fold, out-of-sample backtest of the rules alone and filtered by the model), the ROC ' +
    'curve and calibration plot of the out-of-fold probabilities, and the feature-importance bar chart (gain share and permutation AUC drop). ' +
    'Everything is read from the sidecar. Notebook API: const r = await sq.training.show(jobId); r.parts().',
  forms: ['line'],
  async run({ args, kernel, out }) {
    const sub = args[0];
    if (sub !== 'show') throw usageError(trainingMagic, sub === undefined ? 'needs a sub-command (show)' : `unknown sub-command "${sub}" (show)`);
    const [job = ''] = positionals(trainingMagic, parseMagicArgs(trainingMagic, args, []), ['job']);
    const report = await showTraining(kernel.sidecar, job);
    const parts = report.parts();
    const last = parts.pop();
    for (const p of parts) out.display(p);
    return last;
  },
};
