import { displayOf } from '../display/mime.js';
import type { OutputSink } from '../display/sink.js';
import { parseCombos, parseEmbargo, parseLabel } from '../notebook/training-args.js';
import { trainSweep, type TrainOptions } from '../notebook/training.js';
import { trainProgressDisplay, type TrainProgress } from '../notebook/training-view.js';
import { parseMagicArgs, soleArgument } from './args.js';
import { intFlag } from './model.js';
import { type Magic, usageError } from './registry.js';

const FLAGS = [
  { name: 'combos', type: 'string', description: 'combination ids of the sweep, e.g. 1,2 (PASS or MARGINAL)' },
  { name: 'model', type: 'string', description: 'gbdt (default) or logreg' },
  { name: 'label', type: 'string', description: 'fwd:H[:T] (default fwd:5:0) or tb:PT:SL:N' },
  { name: 'folds', type: 'string', description: 'CV folds (default 5)' },
  { name: 'embargo', type: 'string', description: 'embargo after each test fold (default 1d)' },
  { name: 'calibration', type: 'string', description: 'sigmoid (default), isotonic or none' },
  { name: 'seed', type: 'string', description: 'model seed (default: from the job config)' },
  { name: 'threshold', type: 'string', description: 'probability the trading filter requires (default 0.5)' },
  { name: 'trees', type: 'string', description: 'GBDT trees (default 100)' },
  { name: 'depth', type: 'string', description: 'GBDT depth (default 3)' },
] as const;

let displayCounter = 0;

export type LiveTrainProgress = ((p: TrainProgress) => void) & {
  /** Shows the latest state if a throttled update is pending, and stops the timer. */
  close(): void;
};

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/**
 * A progress callback showing one line per combination (its steps), updated in place. A new combination or a
 * status change (queued, training, completed, failed, cancelled) is shown at once; step updates while a job
 * trains at most every `periodMs` (default 500 ms, as %sweep's), the latest one shown when the period ends.
 */
export function liveTrainProgress(out: OutputSink, periodMs = 500): LiveTrainProgress {
  const displayId = `sq-train-${process.pid}-${++displayCounter}`;
  const states = new Map<number, TrainProgress>();
  const shownStatus = new Map<number, string>();
  let shown = false;
  let dirty = false;
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  const show = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    for (const s of states.values()) shownStatus.set(s.combo_id, s.status);
    out.display(trainProgressDisplay([...states.values()]), { displayId, update: shown });
    shown = true;
    dirty = false;
    last = Date.now();
  };
  const report = (p: TrainProgress): void => {
    states.set(p.combo_id, p);
    dirty = true;
    if (shownStatus.get(p.combo_id) !== p.status || TERMINAL.has(p.status) || Date.now() - last >= periodMs) show();
    else timer ??= setTimeout(show, Math.max(0, last + periodMs - Date.now()));
  };
  return Object.assign(report, {
    close: (): void => {
      if (dirty) show();
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  });
}

/** The TrainOptions of `%train` flags (MAGIC_USAGE / TRAIN_ARG_INVALID name the flag). */
export function trainOptionsFromFlags(magic: Magic, flags: Readonly<Record<string, unknown>>): TrainOptions {
  const str = (k: string): string | undefined => (typeof flags[k] === 'string' ? flags[k] : undefined);
  const combos = str('combos');
  if (combos === undefined) throw usageError(magic, 'needs --combos (combination ids of the sweep, e.g. --combos 1,2)');
  const model = str('model') ?? 'gbdt';
  if (model !== 'gbdt' && model !== 'logreg') throw usageError(magic, `--model must be gbdt or logreg, got "${model}"`);
  const calibration = str('calibration') ?? 'sigmoid';
  if (calibration !== 'sigmoid' && calibration !== 'isotonic' && calibration !== 'none') throw usageError(magic, `--calibration must be sigmoid, isotonic or none, got "${calibration}"`);
  const threshold = str('threshold') === undefined ? undefined : Number(str('threshold'));
  if (threshold !== undefined && !(threshold > 0 && threshold < 1)) throw usageError(magic, `--threshold must be a number in (0, 1), got "${str('threshold') ?? ''}"`);
  const folds = intFlag(magic, str('folds'), 'folds', 2);
  const seed = intFlag(magic, str('seed'), 'seed', 0);
  const trees = intFlag(magic, str('trees'), 'trees', 1);
  const depth = intFlag(magic, str('depth'), 'depth', 1);
  const label = str('label');
  const embargo = str('embargo');
  return {
    combos: parseCombos(combos), model, calibration,
    ...(label === undefined ? {} : { label: parseLabel(label) }),
    ...(embargo === undefined ? {} : { embargoMs: parseEmbargo(embargo) }),
    ...(folds === undefined ? {} : { folds }),
    ...(seed === undefined ? {} : { seed }),
    ...(threshold === undefined ? {} : { threshold }),
    ...(trees === undefined && depth === undefined ? {} : { gbdt: { ...(trees === undefined ? {} : { nEstimators: trees }), ...(depth === undefined ? {} : { maxDepth: depth }) } }),
  };
}

export const trainMagic: Magic = {
  name: 'train',
  summary: 'Train a classifier on PASS/MARGINAL combinations of a sweep (live progress, persisted)',
  usage: '%train <sweep> --combos 1,2 [--model gbdt|logreg] [--label fwd:5:0.5%|tb:3%:3%:10] [--folds 5] [--embargo 1d] [--calibration sigmoid|isotonic|none] [--seed N] [--threshold P] [--trees N] [--depth N]',
  help:
    '%train <sweep> (id, tag or latest) --combos 1,2: one training job per combination, on the sweep\'s model version, data snapshot and range. ' +
    'Only PASS or MARGINAL combinations can be trained (TRAIN_GATE_FAILED otherwise, before anything is written); more than 5 or near-duplicate ' +
    'combinations give a warning. Features: the model\'s indicators at the combination\'s parameters; label: forward return over H bars above T ' +
    '(fwd:5:0.5%) or triple barrier (tb:PROFIT:STOP:BARS). Time-ordered purged CV (--folds, default 5) with an embargo (--embargo, default 1d), ' +
    'a leakage check, sigmoid/isotonic calibration, gain and permutation importance, and an out-of-sample backtest of the rules filtered by ' +
    'the model\'s probability (--threshold). A line per combination shows its steps while it trains.\n' +
    'Stored in the sidecar: the training job (queued -> training -> completed | failed | cancelled, steps with durations), metrics (train, ' +
    'validation, per fold), feature importance, the artifact (JSON, uploaded by sha256) and the trained model, linked to the combination, sweep, ' +
    'model version and snapshot. Each job runs on a worker thread, so the kernel stays responsive: the progress line updates while it trains (at most every 0.5 s), ' +
    'and an interrupt cancels the running job at its next step or CV fold (stored cancelled); the combinations not yet trained are stored as cancelled.\n' +
    'Notebook API: const r = await sq.train(sweep, { combos: [1, 2], model: \'gbdt\', label: \'fwd:5:0.5%\' }); r.results[0].trainedModel.id. See %training show.',
  forms: ['line'],
  async run({ args, kernel, out, signal }) {
    const parsed = parseMagicArgs(trainMagic, args, FLAGS);
    const sweep = soleArgument(trainMagic, parsed, '<sweep> (an id, a tag or latest)');
    const opts = trainOptionsFromFlags(trainMagic, parsed.flags);
    const live = liveTrainProgress(out);
    try {
      return displayOf(await trainSweep(kernel.sidecar, sweep, { ...opts, signal, onProgress: live }));
    } finally {
      live.close();
    }
  },
};
