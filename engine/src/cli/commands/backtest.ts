/**
 * `sigmatiq backtest <bars> (--pack P --strategy S | --entry EXPR --exit EXPR) [--param k=v]...
 *   [--fill next_open|close] [--fee-bps N] [--fee-fixed N] [--slippage-bps N] [--size-fraction F]
 *   [--direction long|short] [--store DIR] [--json]`: one backtest, printed as one JSON object
 * (the metrics, run_hash, data_hash, bars, trades) or as `key: value` lines.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DirectoryResultStore, runStrategyBacktest, type BacktestConfigInput, type BacktestSummary, type StrategyBacktestRequest } from '../../backtest/index.js';
import type { Bars } from '../../data/bars.js';
import { defaultStoreDir, importBars, loadSnapshot } from '../../data/index.js';
import { SigmatiqError } from '../../errors.js';
import { loadPack, resolveStrategy, strategyBacktestRequest } from '../../packs/index.js';
import type { Args } from '../args.js';
import type { CliCommand } from '../types.js';

const HASH = /^[0-9a-f]{64}$/;
const PARAM = /^([A-Za-z_][A-Za-z0-9_.]*)=(.*)$/;

/** `<bars>`: a CSV/Parquet file (imported and validated) or a snapshot hash; with its data hash. */
async function loadBars(arg: string, args: Args, env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<{ bars: Bars; hash: string }> {
  const path = resolve(cwd, arg);
  if (existsSync(path) && statSync(path).isFile()) {
    const symbol = args.string('symbol');
    const interval = args.string('interval');
    const r = await importBars(path, { ...(symbol !== undefined ? { symbol } : {}), ...(interval !== undefined ? { interval } : {}) });
    return { bars: r.bars, hash: r.hash };
  }
  if (HASH.test(arg)) return { bars: await loadSnapshot(defaultStoreDir(env, cwd), arg), hash: arg };
  throw new SigmatiqError('DATA_FILE_NOT_FOUND', `no such file or snapshot: ${arg}`, { file: arg, argument: 'bars' });
}

/** `--param k=v` (repeatable) -> numbers; a bad one is a usage error naming it. */
export function parseParams(items: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    const m = PARAM.exec(item.trim());
    const value = m?.[2] === undefined || m[2].trim() === '' ? NaN : Number(m[2]);
    if (m?.[1] === undefined || !Number.isFinite(value)) {
      throw new SigmatiqError('CLI_BAD_VALUE', `--param must be name=number, got "${item}"`, { flag: '--param', value: item });
    }
    if (Object.hasOwn(out, m[1])) throw new SigmatiqError('CLI_BAD_VALUE', `--param ${m[1]} given twice`, { flag: '--param', value: item });
    out[m[1]] = value;
  }
  return out;
}

function choice<T extends string>(args: Args, flag: string, allowed: readonly T[]): T | undefined {
  const v = args.string(flag);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new SigmatiqError('CLI_BAD_VALUE', `--${flag} must be ${allowed.join(' or ')}, got "${v}"`, { flag: `--${flag}`, value: v });
  }
  return v as T;
}

/** Command-line settings laid over a base config (the pack's, or the engine defaults). */
function configFromFlags(args: Args, base: BacktestConfigInput): BacktestConfigInput {
  const fill = choice(args, 'fill', ['next_open', 'close'] as const);
  const direction = choice(args, 'direction', ['long', 'short'] as const);
  const fee = args.number('fee-bps');
  const fixed = args.number('fee-fixed');
  const slip = args.number('slippage-bps');
  const fraction = args.number('size-fraction');
  const capital = args.number('capital');
  return {
    ...base,
    ...(fill !== undefined ? { fill } : {}),
    ...(direction !== undefined ? { direction } : {}),
    ...(fee !== undefined ? { commissionBps: fee } : {}),
    ...(fixed !== undefined ? { commissionFixed: fixed } : {}),
    ...(slip !== undefined ? { slippageBps: slip } : {}),
    ...(fraction !== undefined ? { sizing: { mode: 'fixed_fraction', fraction } } : {}),
    ...(capital !== undefined ? { initialCapital: capital } : {}),
  };
}

/** The printed object: metrics, then run_hash, data_hash, bars, trades (and the status counts). */
export function backtestOutput(s: BacktestSummary): Record<string, unknown> {
  const { run_hash, data_hash, engine_version, bars, trades, status, ...metrics } = s;
  return { ...metrics, run_hash, data_hash, bars, trades, engine_version, status };
}

export const backtestCommand: CliCommand = {
  name: 'backtest',
  summary: 'Backtest a strategy (a pack strategy or --entry/--exit rules) over bars',
  usage: [
    'Usage: sigmatiq backtest <bars> (--pack P --strategy S | --entry EXPR --exit EXPR) [--param k=v]...',
    '                        [--fill next_open|close] [--fee-bps N] [--fee-fixed N] [--slippage-bps N]',
    '                        [--size-fraction F] [--direction long|short] [--capital C] [--store DIR] [--json]',
    '',
    '  <bars>            a CSV or Parquet file (validated on import) or a data snapshot hash',
    '  --pack P          a pack id (packs/<id>.yaml) or a pack YAML path; --strategy S picks its strategy',
    '                    (default: the pack\'s default strategy); the pack\'s policies set costs, sizing, stops',
    '  --entry, --exit   rules in the expression language (docs/expressions.md)',
    '  --param k=v       a parameter value; with --entry/--exit it also declares k (e.g. fast=10);',
    '                    with --pack any override key of the pack (exit_rsi=60, rsi.period=10, risk.stop_loss=0.05)',
    '  --fill            next_open (default: fill at the next bar\'s open) or close (fill at the signal bar\'s close)',
    '  --fee-bps N       commission in basis points per fill (default 1); --fee-fixed N per fill (default 1)',
    '  --slippage-bps N  slippage in basis points (default 2)',
    '  --size-fraction F fraction of equity per position (default 1 = all in)',
    '  --store DIR       reuse/store results by run_hash in DIR (a repeated run is not recomputed)',
    '  --json            print one JSON object (otherwise key: value lines)',
    '',
    'Output: the BacktestMetrics (docs/backtest.md) plus run_hash, data_hash, bars, trades.',
    'Example: sigmatiq backtest spx.csv --entry "cross_above(sma(close, fast), sma(close, slow))" \\',
    '           --exit "cross_below(sma(close, fast), sma(close, slow))" --param fast=10 --param slow=50 --json',
  ].join('\n'),
  flags: [
    { name: 'pack', type: 'string', description: 'pack id or YAML path' },
    { name: 'strategy', type: 'string', description: 'strategy id within the pack' },
    { name: 'entry', type: 'string', description: 'entry rule' },
    { name: 'exit', type: 'string', description: 'exit rule' },
    { name: 'param', type: 'string', multiple: true, description: 'parameter k=v (repeatable)' },
    { name: 'fill', type: 'string', description: 'next_open or close' },
    { name: 'direction', type: 'string', description: 'long or short' },
    { name: 'fee-bps', type: 'string', description: 'commission bps per fill' },
    { name: 'fee-fixed', type: 'string', description: 'fixed commission per fill' },
    { name: 'slippage-bps', type: 'string', description: 'slippage bps' },
    { name: 'size-fraction', type: 'string', description: 'fraction of equity per position' },
    { name: 'capital', type: 'string', description: 'initial capital' },
    { name: 'store', type: 'string', description: 'result store directory' },
    { name: 'symbol', type: 'string', description: 'instrument symbol for a bars file' },
    { name: 'interval', type: 'string', description: 'bar interval for a bars file' },
    { name: 'json', type: 'boolean', description: 'print one JSON object' },
  ],
  async run(args, io, ctx) {
    const barsArg = args.positional(0, 'bars');
    const pack = args.string('pack');
    const entry = args.string('entry');
    const exit = args.string('exit');
    const params = parseParams(args.all('param'));
    if ((pack !== undefined) === (entry !== undefined || exit !== undefined)) {
      throw new SigmatiqError('CLI_MISSING_FLAG', 'give either --pack (with --strategy) or both --entry and --exit', { flag: '--pack' });
    }
    let rules: Pick<StrategyBacktestRequest, 'entry' | 'exit' | 'params' | 'context' | 'config'>;
    if (pack !== undefined) {
      const isPath = pack.includes('/') || pack.endsWith('.yaml') || pack.endsWith('.yml');
      const loaded = loadPack(isPath ? resolve(ctx.cwd, pack) : pack);
      const resolved = resolveStrategy(loaded.pack, args.string('strategy') ?? loaded.pack.default_strategy, params);
      const req = strategyBacktestRequest(resolved);
      rules = { ...req, config: configFromFlags(args, req.config ?? {}) };
    } else {
      if (args.string('strategy') !== undefined) throw new SigmatiqError('CLI_BAD_VALUE', '--strategy needs --pack', { flag: '--strategy' });
      if (entry === undefined) throw new SigmatiqError('CLI_MISSING_FLAG', '--entry is required with --exit', { flag: '--entry' });
      if (exit === undefined) throw new SigmatiqError('CLI_MISSING_FLAG', '--exit is required with --entry', { flag: '--exit' });
      rules = { entry, exit, params, config: configFromFlags(args, {}) };
    }
    const { bars, hash } = await loadBars(barsArg, args, ctx.env, ctx.cwd);
    const storeDir = args.string('store');
    const { summary } = await runStrategyBacktest({
      ...rules,
      bars,
      dataHash: hash,
      ...(storeDir !== undefined ? { store: new DirectoryResultStore(resolve(ctx.cwd, storeDir)) } : {}),
    });
    const out = backtestOutput(summary);
    if (args.boolean('json')) {
      io.stdout(JSON.stringify(out));
    } else {
      // JSON has no infinity: --json writes profit_factor +∞ (winners, no loser) as null, the text form as Infinity.
      for (const [k, v] of Object.entries(out)) io.stdout(`${k}: ${typeof v === 'string' ? v : v === Infinity ? 'Infinity' : JSON.stringify(v)}`);
    }
    return 0;
  },
};
