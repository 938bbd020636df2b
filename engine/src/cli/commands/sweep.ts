/**
 * `sigmatiq sweep <bars> (--pack P --strategy S | --entry EXPR --exit EXPR) --param NAME=SPEC …`
 * runs a parameter sweep and writes one CSV row per combination (rank, params, the BacktestMetrics
 * keys, gate, config_hash) plus a summary line (combos, seconds, DSR, PBO). docs/sweeps.md.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BacktestConfigInput } from '../../backtest/index.js';
import { loadPack } from '../../packs/index.js';
import { SweepStore } from '../../data/duckdb/index.js';
import { SweepError } from '../../sweep/errors.js';
import { PLAN_TIERS, SWEEP_TYPES, type PlanTier, type SweepType } from '../../sweep/caps.js';
import { toCsv } from '../../sweep/leaderboard/csv.js';
import { runSweep, type SweepResult } from '../../sweep/run.js';
import { validatePlan } from '../../sweep/spec.js';
import { SAMPLER_KINDS, type SamplerKind } from '../../sweep/samplers/types.js';
import { domainValues, parseDomain, type ParamSpec } from '../../sweep/space/domain.js';
import type { SweepTarget } from '../../sweep/exec/target.js';
import { BACKTEST_PARAMS } from '../../sweep/exec/target.js';
import type { Args } from '../args.js';
import type { CliCommand } from '../types.js';
import { resolveBars } from './indicators.js';

function parseParam(text: string): ParamSpec {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new SweepError('INVALID_SPACE', `--param must be NAME=START..END[:STEP], NAME=log:START..END:NUM[:int] or NAME=a,b,c; got '${text}'`, { flag: '--param', value: text });
  return parseDomain(text.slice(0, eq).trim(), text.slice(eq + 1));
}

function choice<T extends string>(args: Args, flag: string, allowed: readonly T[], fallback: T): T {
  const v = args.string(flag) ?? fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new SweepError('INVALID_OPTIONS', `--${flag} must be one of ${allowed.join(', ')}, got '${v}'`, { flag: `--${flag}` });
  return v as T;
}

function buildTarget(args: Args, params: readonly ParamSpec[], backtest: BacktestConfigInput): SweepTarget {
  const pack = args.string('pack');
  const entry = args.string('entry');
  const exit = args.string('exit');
  if (pack !== undefined) {
    if (entry !== undefined || exit !== undefined) throw new SweepError('INVALID_OPTIONS', 'give either --pack/--strategy or --entry/--exit, not both', { flag: '--pack' });
    const strategy = args.string('strategy');
    return { kind: 'pack', pack: loadPack(pack).pack, ...(strategy === undefined ? {} : { strategy }), backtest };
  }
  if (entry === undefined || exit === undefined) throw new SweepError('INVALID_OPTIONS', 'give --pack P [--strategy S] or both --entry EXPR and --exit EXPR', { flag: entry === undefined ? '--entry' : '--exit' });
  // With explicit rules, every swept name that is not a backtest setting is a declared parameter
  // whose compile-time default is its first value.
  const declared: Record<string, number> = {};
  for (const p of params) {
    if (BACKTEST_PARAMS[p.name] !== undefined) continue;
    const first = domainValues(p)[0];
    if (typeof first !== 'number') throw new SweepError('INVALID_SPACE', `parameter '${p.name}' of the rules must take numbers`, { parameter: p.name });
    declared[p.name] = first;
  }
  return { kind: 'rules', entry, exit, params: declared, backtest };
}

function fmt(x: number | undefined | null, digits = 4): string {
  return x === undefined || x === null || Number.isNaN(x) ? 'n/a' : x.toFixed(digits);
}

export function summaryLine(r: SweepResult): string {
  const d = r.statistics.dsr;
  const p = r.statistics.pbo;
  const best = r.results[0];
  return [
    `sweep ${r.sweep_id} ${r.status}: combos ${r.evaluated}/${r.planned} (failed ${r.failed}) in ${r.timing.seconds.toFixed(2)} s`,
    `DSR ${fmt(d?.dsr)} (trials ${r.statistics.trials}, SR* ${fmt(d?.sr_annualized)}, SR0 ${fmt(d?.sr0_annualized)} annualized)`,
    `PBO ${fmt(p?.pbo)} (${p?.blocks ?? 0} blocks, ${p?.splits ?? 0} splits)`,
    `gates PASS ${r.gates.pass} / MARGINAL ${r.gates.marginal} / FAIL ${r.gates.fail}`,
    `best ${best === undefined ? 'none' : `${JSON.stringify(best.params)} sharpe ${fmt(best.metrics?.sharpe_ratio)}`}`,
  ].join('; ');
}

export const sweepCommand: CliCommand = {
  name: 'sweep',
  summary: 'Run a parameter sweep and write the leaderboard as CSV',
  usage: [
    'Usage: sigmatiq sweep <bars> (--pack P [--strategy S] | --entry EXPR --exit EXPR)',
    '         --param NAME=START..END[:STEP] | --param NAME=a,b,c | --param NAME=log:START..END:NUM[:int] ...',
    '         [--cond "fast < slow"]... [--sampler grid|random|lhs|tpe --trials N --seed N]',
    '         [--fill next_open|close] [--fee-bps N] [--slippage-bps N] [--workers N]',
    '         [--type simple|custom --tier free|premium|pro] [--pbo-blocks N] [--pareto] [--kendall]',
    '         [--store FILE.duckdb] [--out results.csv] [--symbol S --interval I] [--progress]',
    '',
    '  <bars>     a CSV or Parquet file or a data snapshot hash',
    '  --param    a swept parameter: a declared parameter of the rules (with --entry/--exit every',
    '             swept name is declared, default = its first value), a pack override key',
    '             (rsi.period, risk.stop_loss, a level), or a backtest setting',
    `             (${Object.keys(BACKTEST_PARAMS).join(', ')})`,
    '  --type     simple (<= 45 combinations) or custom (<= 1,000 premium, <= 3,000 pro); default simple',
    '  --out      the CSV (default: standard output); one row per combination in rank order',
    '  --store    also upsert the rows into this DuckDB file (table sweep_combos)',
    '',
    'Prints one summary line: combos, seconds, DSR, PBO, gate counts, best combination.',
    'Ctrl-C cancels and keeps the partial results (status cancelled).',
  ].join('\n'),
  flags: [
    { name: 'pack', type: 'string' }, { name: 'strategy', type: 'string' },
    { name: 'entry', type: 'string' }, { name: 'exit', type: 'string' },
    { name: 'param', type: 'string', multiple: true }, { name: 'cond', type: 'string', multiple: true },
    { name: 'sampler', type: 'string' }, { name: 'trials', type: 'string' }, { name: 'seed', type: 'string' },
    { name: 'fill', type: 'string' }, { name: 'fee-bps', type: 'string' }, { name: 'slippage-bps', type: 'string' },
    { name: 'workers', type: 'string' }, { name: 'type', type: 'string' }, { name: 'tier', type: 'string' },
    { name: 'pbo-blocks', type: 'string' }, { name: 'pareto', type: 'boolean' }, { name: 'kendall', type: 'boolean' },
    { name: 'store', type: 'string' }, { name: 'out', type: 'string' }, { name: 'symbol', type: 'string' },
    { name: 'interval', type: 'string' }, { name: 'progress', type: 'boolean' },
  ],
  async run(args, io, ctx) {
    const barsArg = args.positional(0, 'bars');
    const params = args.all('param').map(parseParam);
    if (params.length === 0) throw new SweepError('INVALID_SPACE', 'give at least one --param NAME=SPEC', { flag: '--param' });
    const backtest: Record<string, unknown> = {};
    const fill = args.string('fill');
    if (fill !== undefined) backtest['fill'] = choice(args, 'fill', ['next_open', 'close'] as const, 'next_open');
    const fee = args.number('fee-bps');
    if (fee !== undefined) backtest['commissionBps'] = fee;
    const slip = args.number('slippage-bps');
    if (slip !== undefined) backtest['slippageBps'] = slip;
    const target = buildTarget(args, params, backtest);
    const sampler: SamplerKind = choice(args, 'sampler', SAMPLER_KINDS, 'grid');
    const type: SweepType = choice(args, 'type', SWEEP_TYPES, 'simple');
    const tier: PlanTier = choice(args, 'tier', PLAN_TIERS, 'free');
    const trials = args.number('trials');
    const seed = args.number('seed');
    const blocks = args.number('pbo-blocks');
    const workers = args.number('workers');
    const spec = {
      target, space: { params, conditions: args.all('cond') }, sampler, type, tier,
      ...(trials === undefined ? {} : { trials }), ...(seed === undefined ? {} : { seed }), ...(blocks === undefined ? {} : { pboBlocks: blocks }),
      pruning: { pareto: args.boolean('pareto'), kendall: args.boolean('kendall') },
    };
    validatePlan(spec, workers === undefined ? {} : { workers }); // caps, space, names: before loading any data
    const bars = await resolveBars(barsArg, { symbol: args.string('symbol'), interval: args.string('interval'), env: ctx.env, cwd: ctx.cwd });
    const storeFile = args.string('store');
    const store = storeFile === undefined ? undefined : await SweepStore.open(resolve(ctx.cwd, storeFile));
    const ac = new AbortController();
    const onSigint = (): void => ac.abort();
    process.once('SIGINT', onSigint);
    let result: SweepResult;
    try {
      result = await runSweep(bars, spec, {
        ...(workers === undefined ? {} : { workers }), signal: ac.signal, ...(store === undefined ? {} : { store }),
        ...(args.boolean('progress') ? { onProgress: (p) => io.stderr(`progress ${p.done}/${p.total} eta ${(p.eta_ms / 1000).toFixed(1)} s best ${fmt(p.best?.sharpe_ratio)}`) } : {}),
      });
    } finally {
      process.removeListener('SIGINT', onSigint);
      store?.close();
    }
    const csv = toCsv(result.params, result.results);
    const out = args.string('out');
    if (out === undefined || out === '-') {
      for (const line of csv.slice(0, -1).split('\n')) io.stdout(line);
    } else {
      const file = resolve(ctx.cwd, out);
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, csv);
      renameSync(tmp, file);
    }
    io.stdout(summaryLine(result));
    return 0;
  },
};
