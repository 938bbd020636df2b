import { validateTarget } from '../notebook/validation.js';
import { displayOf } from '../display/mime.js';
import { parseMagicArgs, soleArgument, stringFlag } from './args.js';
import { intFlag } from './model.js';
import type { Magic } from './registry.js';

const FLAGS = [
  { name: 'permutation', type: 'string', description: 'permutations (default 500; 0 skips the test)' },
  { name: 'bootstrap', type: 'string', description: 'bootstrap resamples (default 1000; 0 skips)' },
] as const;

export const validateMagic: Magic = {
  name: 'validate',
  summary: 'Permutation test and bootstrap CIs of a trained model\'s or a combination\'s backtest (persisted)',
  usage: '%validate <trained model id | sweep:combo> [--permutation N] [--bootstrap N]',
  help:
    '%validate <target>: the target is a trained model id or a combination <sweep id or tag>:<combo id>. Its strategy backtest on the sweep\'s ' +
    'data and range (the combination\'s rules) is tested: permutation p-value of the Sharpe ratio against N block permutations of the market ' +
    'returns under the strategy\'s exposures (--permutation, default 500), and block-bootstrap confidence intervals of Sharpe and CAGR ' +
    '(--bootstrap resamples, default 1000; block length from the autocorrelation, or the simple bootstrap, as recorded). Seeds come from the ' +
    'configuration, so the same target gives the same numbers. Stored as a Validation (POST /v1/validations), linked to the trained model or ' +
    'combination; validating the same configuration again returns the stored row. The computation runs on a worker thread: an interrupt ' +
    'stops it (VALIDATE_CANCELLED, nothing stored).\n' +
    'Notebook API: const v = await sq.validate(target, { permutation: 500, bootstrap: 1000 }); v.pValue, v.sharpeCi.',
  forms: ['line'],
  async run({ args, kernel, signal }) {
    const parsed = parseMagicArgs(validateMagic, args, FLAGS);
    const target = soleArgument(validateMagic, parsed, '<target> (a trained model id or sweep:combo)');
    const permutation = intFlag(validateMagic, stringFlag(parsed, 'permutation'), 'permutation', 0);
    const bootstrap = intFlag(validateMagic, stringFlag(parsed, 'bootstrap'), 'bootstrap', 0);
    return displayOf(await validateTarget(kernel.sidecar, target, {
      signal,
      ...(permutation === undefined ? {} : { permutation }), ...(bootstrap === undefined ? {} : { bootstrap }),
    }));
  },
};
