import { parseSweepPlanYaml, sweepPlan, type SweepPlan } from '@sigmatiq/engine';
import { displayOf } from '../display/mime.js';
import type { OutputSink } from '../display/sink.js';
import { progressDisplay, type ProgressState } from '../notebook/sweep-view.js';
import { cancelSweep, runModelSweep, sweepStatus } from '../notebook/sweeps.js';
import { parseMagicArgs, positionals, stringFlag } from './args.js';
import { intFlag } from './model.js';
import { type Magic, usageError } from './registry.js';

const RANGE_FLAGS = [
  { name: 'data', type: 'string', description: "data snapshot (hash prefix or sidecar id); default: the model's" },
  { name: 'from', type: 'string', description: 'first day YYYY-MM-DD' },
  { name: 'to', type: 'string', description: 'last day YYYY-MM-DD' },
  { name: 'tag', type: 'string', description: 'a tag stored with the sweep' },
  { name: 'workers', type: 'string', description: 'worker threads (default: one per core; 0 = inline)' },
] as const;
const RUN_FLAGS = [
  ...RANGE_FLAGS,
  { name: 'type', type: 'string', description: 'simple (<= 45 combinations) or custom (plan cap)' },
  { name: 'param', type: 'string', multiple: true, description: 'NAME=START..END[:STEP] | NAME=a,b,c | NAME=log:START..END:NUM[:int]' },
  { name: 'cond', type: 'string', multiple: true, description: 'condition every combination satisfies, e.g. "fast < slow"' },
  { name: 'sampler', type: 'string', description: 'grid (default), random, lhs or tpe' },
  { name: 'trials', type: 'string', description: 'combinations to sample (random, lhs, tpe)' },
  { name: 'seed', type: 'string', description: 'sampler seed (default 0)' },
  { name: 'pareto', type: 'boolean', description: 'Pareto pruning' },
  { name: 'kendall', type: 'boolean', description: 'Kendall early stop' },
] as const;

let displayCounter = 0;

/** A progress callback that shows the progress line in `out` and updates it in place. */
export function liveProgress(out: OutputSink): (s: ProgressState) => void {
  const displayId = `sq-sweep-${process.pid}-${++displayCounter}`;
  let shown = false;
  return (s) => {
    out.display(progressDisplay(s), { displayId, update: shown });
    shown = true;
  };
}

function stringsOf(v: unknown): string[] {
  return typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The SweepPlan of `%sweep run` flags (SWEEP_PLAN_INVALID / SWS codes name the field). */
export function planFromFlags(magic: Magic, flags: Readonly<Record<string, unknown>>): SweepPlan {
  const space: Record<string, string> = {};
  for (const p of stringsOf(flags['param'])) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw usageError(magic, `--param needs NAME=SPEC (START..END[:STEP], a,b,c or log:START..END:NUM[:int]), got "${p}"`);
    const name = p.slice(0, eq).trim();
    if (name in space) throw usageError(magic, `--param ${name} is given twice`);
    space[name] = p.slice(eq + 1);
  }
  if (Object.keys(space).length === 0) throw usageError(magic, 'run needs at least one --param NAME=SPEC');
  const str = (k: string): string | undefined => (typeof flags[k] === 'string' ? flags[k] : undefined);
  const trials = intFlag(magic, str('trials'), 'trials');
  const seed = intFlag(magic, str('seed'), 'seed', 0);
  const pareto = flags['pareto'] === true;
  const kendall = flags['kendall'] === true;
  const conditions = stringsOf(flags['cond']);
  return sweepPlan({
    space,
    ...(str('type') === undefined ? {} : { type: str('type') }),
    ...(str('sampler') === undefined ? {} : { sampler: str('sampler') }),
    ...(trials === undefined ? {} : { trials }),
    ...(seed === undefined ? {} : { seed }),
    ...(conditions.length === 0 ? {} : { conditions }),
    ...(pareto || kendall ? { pruning: { ...(pareto ? { pareto } : {}), ...(kendall ? { kendall } : {}) } } : {}),
    ...(str('data') === undefined ? {} : { data: str('data') }),
    ...(str('from') === undefined ? {} : { from: str('from') }),
    ...(str('to') === undefined ? {} : { to: str('to') }),
    ...(str('tag') === undefined ? {} : { tag: str('tag') }),
  });
}

export const sweepMagic: Magic = {
  name: 'sweep',
  summary: 'Run a parameter sweep of a model (live progress, cancellable), check or cancel sweeps',
  usage:
    '%sweep run <model> --type simple|custom --param NAME=SPEC ... [--cond EXPR ...] [--sampler grid|random|lhs|tpe] [--trials N] [--seed N] ' +
    '[--pareto] [--kendall] [--data <snapshot>] [--from D] [--to D] [--tag T] [--workers N] | %%sweep <model> (YAML body) | %sweep status <id> | %sweep cancel <id>',
  help:
    '%sweep run <model>: sweeps the parameters given by --param over the model (the model\'s overrides stay fixed, swept names override them). ' +
    'SPEC is START..END[:STEP], a,b,c or log:START..END:NUM[:int]; NAME is a level or strategy parameter (exit_k), an indicator parameter ' +
    '(rsi.period), a policy field (risk.stop_loss) or a backtest setting (fee_bps, slippage_bps, stop_loss, size_fraction, ...). ' +
    '--type simple allows 45 combinations, custom the plan cap (1,000 premium, 3,000 pro). Samplers: grid (default), random, lhs, tpe (with --trials). ' +
    'Everything is checked before anything runs (SWS-1001 cap exceeded, SWS-1003 invalid space, SWS-1008 unknown parameter, ...).\n' +
    'While it runs, a progress line (done/total, ETA, best so far) updates in place at least once a second and progress is posted to the sidecar. ' +
    'Interrupting the kernel (or a cancel made elsewhere, e.g. the Leaderboard panel or POST /v1/sweeps/{id}/cancel) stops it within about a second; ' +
    'the combinations done so far are kept and the sweep is stored as cancelled.\n' +
    'The sweep, every combination (metrics, config_hash, gates), its errors and lineage (sweep <- model version, sweep <- snapshot) are stored in the sidecar.\n' +
    '%%sweep <model>: the same from a YAML body: type, sampler, trials, seed, space (NAME: SPEC | [values] | {kind: range|log|list, ...}), ' +
    'conditions, gates ({min_trades, min_sharpe, max_drawdown, min_win_rate, min_profit_factor} or {thresholds, tolerances}), ' +
    'pruning ({pareto, kendall}), pbo_blocks, data, from, to, tag. Line flags --data/--from/--to/--tag/--workers override the body.\n' +
    '%sweep status <id>: state, progress and stored combinations. %sweep cancel <id>: cancels a queued or running sweep.\n' +
    'Notebook API: const s = await sq.sweep.run(model, plan | yaml, { signal, workers }); sq.sweep.status(id); sq.sweep.cancel(id).',
  forms: ['line', 'cell'],
  async run({ args, body, kernel, out, signal }) {
    const locator = kernel.sidecar;
    if (body !== undefined) {
      const parsed = parseMagicArgs(sweepMagic, args, RANGE_FLAGS);
      if (parsed.positionals.length !== 1) throw usageError(sweepMagic, '%%sweep needs exactly one <model> on its first line');
      const plan = parseSweepPlanYaml(body, `%%sweep ${parsed.positionals[0] ?? ''}`);
      const over = (k: 'data' | 'from' | 'to' | 'tag'): Record<string, string> => {
        const v = stringFlag(parsed, k);
        return v === undefined ? {} : { [k]: v };
      };
      const workers = intFlag(sweepMagic, stringFlag(parsed, 'workers'), 'workers', 0);
      return runModelSweep(locator, parsed.positionals[0] ?? '', { ...plan, ...over('data'), ...over('from'), ...over('to'), ...over('tag') }, {
        signal, onProgress: liveProgress(out), ...(workers === undefined ? {} : { workers }),
      }).then(displayOf);
    }
    const sub = args[0];
    switch (sub) {
      case 'run': {
        const parsed = parseMagicArgs(sweepMagic, args, RUN_FLAGS);
        const [model = ''] = positionals(sweepMagic, parsed, ['model']);
        const plan = planFromFlags(sweepMagic, parsed.flags);
        const workers = intFlag(sweepMagic, stringFlag(parsed, 'workers'), 'workers', 0);
        return displayOf(await runModelSweep(locator, model, plan, { signal, onProgress: liveProgress(out), ...(workers === undefined ? {} : { workers }) }));
      }
      case 'status': {
        const [id = ''] = positionals(sweepMagic, parseMagicArgs(sweepMagic, args, []), ['id']);
        return displayOf(await sweepStatus(locator, id));
      }
      case 'cancel': {
        const [id = ''] = positionals(sweepMagic, parseMagicArgs(sweepMagic, args, []), ['id']);
        const r = await cancelSweep(locator, id);
        return displayOf(await sweepStatus(locator, id, r.where === 'kernel' ? 'cancel requested: the sweep running in this kernel stops and keeps its partial results' : `cancelled in the sidecar (status ${r.status})`));
      }
      case undefined:
        throw usageError(sweepMagic, 'needs a sub-command (run, status or cancel)');
      default:
        throw usageError(sweepMagic, `unknown sub-command "${sub}" (run, status or cancel)`);
    }
  },
};
