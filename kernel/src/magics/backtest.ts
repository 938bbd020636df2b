import { backtestModel } from '../notebook/backtest.js';
import { parseMagicArgs, stringFlag } from './args.js';
import { intFlag } from './model.js';
import { type Magic, usageError } from './registry.js';

const FLAGS = [
  { name: 'from', type: 'string', description: 'first day YYYY-MM-DD (inclusive)' },
  { name: 'to', type: 'string', description: 'last day YYYY-MM-DD (inclusive)' },
  { name: 'data', type: 'string', description: "data snapshot (hash prefix or sidecar id); default: the model's" },
  { name: 'version', type: 'string', description: 'model version number (default: latest)' },
] as const;

export const backtestMagic: Magic = {
  name: 'backtest',
  summary: "Backtest a model's latest version: metrics, equity/drawdown charts, trades; registers the run",
  usage: '%backtest <model> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--data <snapshot>] [--version N]',
  help:
    "%backtest <model>: runs the model's latest version (or --version N) on its data snapshot (or --data: a hash prefix or " +
    'sidecar id from %data list), optionally cut to --from/--to (inclusive days). Shows the metrics table, the equity and ' +
    'drawdown charts (Plotly, at most 5,000 points each: equity = last value, drawdown = deepest of each bucket) and the trades ' +
    'table (first 500). The run is registered in the sidecar (run_hash; the same run again reuses it) with lineage ' +
    'run <- model version and run <- data snapshot.\n' +
    'Errors: MODEL_NOT_FOUND, MODEL_NO_DATA, MODEL_RANGE_INVALID, MODEL_RANGE_EMPTY, DATA_SNAPSHOT_NOT_FOUND, SIDECAR_UNAVAILABLE.\n' +
    'Notebook API: const r = await sq.backtest(model, { from, to, data, version }); r.summary, r.result.trades, r.chart(), r.tradesTable().',
  forms: ['line'],
  async run({ args, kernel, out }) {
    const parsed = parseMagicArgs(backtestMagic, args, FLAGS);
    if (parsed.positionals.length === 0) throw usageError(backtestMagic, 'needs <model>');
    if (parsed.positionals.length > 1) throw usageError(backtestMagic, `unexpected argument "${parsed.positionals[1] ?? ''}"`);
    const from = stringFlag(parsed, 'from');
    const to = stringFlag(parsed, 'to');
    const data = stringFlag(parsed, 'data');
    const version = intFlag(backtestMagic, stringFlag(parsed, 'version'), 'version');
    const report = await backtestModel(kernel.sidecar, parsed.positionals[0] ?? '', {
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
      ...(data === undefined ? {} : { data }),
      ...(version === undefined ? {} : { version }),
    });
    out.display(report.metricsTable());
    out.display(report.chart());
    return report.tradesTable();
  },
};
