/**
 * `sigmatiq indicators <bars> --spec "sma(20),macd(12,26,9)" [--out out.csv]`: compute indicators
 * and write a CSV: `ts` (ISO 8601 UTC) then one column per output, warm-up cells empty, numbers
 * as JavaScript's shortest round-trip decimal (parsing a cell gives back the same float64).
 */
import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SigmatiqError } from '../../errors.js';
import type { Bars } from '../../data/bars.js';
import { defaultStoreDir, importBars, loadSnapshot } from '../../data/index.js';
import { IndicatorCache, parseIndicatorSpec } from '../../indicators/index.js';
import type { CliCommand } from '../types.js';

/** Shortest decimal that parses back to the same float64 (`-0` kept); empty for NaN. */
export function formatCell(x: number): string {
  if (Number.isNaN(x)) return '';
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

/** The CSV text for `bars` and a spec (all validation happens before anything is written). */
export function indicatorsCsv(bars: Pick<Bars, 'ts' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'length'>, spec: string): string {
  const items = parseIndicatorSpec(spec);
  const cache = new IndicatorCache();
  const header = ['ts'];
  const columns: Float64Array[] = [];
  for (const item of items) {
    const outs = item.source === undefined ? cache.compute(item.def, bars, item.params) : cache.computeFrom(item.def, [bars[item.source]], item.params);
    item.columns.forEach((name, j) => {
      if (header.includes(name)) return; // the same output asked twice: one column
      header.push(name);
      columns.push(outs[j] as Float64Array);
    });
  }
  const lines: string[] = [header.join(',')];
  const cells = new Array<string>(columns.length + 1);
  for (let i = 0; i < bars.length; i++) {
    cells[0] = new Date(bars.ts[i] as number).toISOString();
    for (let k = 0; k < columns.length; k++) cells[k + 1] = formatCell((columns[k] as Float64Array)[i] as number);
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

const HASH = /^[0-9a-f]{64}$/;

/** `<bars>`: a CSV/Parquet file (imported and validated by the data layer) or a snapshot hash. */
export async function resolveBars(arg: string, opts: { symbol?: string | undefined; interval?: string | undefined; env: Readonly<Record<string, string | undefined>>; cwd: string }): Promise<Bars> {
  const path = resolve(opts.cwd, arg);
  if (existsSync(path) && statSync(path).isFile()) {
    const result = await importBars(path, { ...(opts.symbol !== undefined ? { symbol: opts.symbol } : {}), ...(opts.interval !== undefined ? { interval: opts.interval } : {}) });
    return result.bars;
  }
  if (HASH.test(arg)) return loadSnapshot(defaultStoreDir(opts.env, opts.cwd), arg);
  throw new SigmatiqError('DATA_FILE_NOT_FOUND', `no such file or snapshot: ${arg}`, { file: arg, argument: 'bars' });
}

export const indicatorsCommand: CliCommand = {
  name: 'indicators',
  summary: 'Compute indicators over bars and write them as CSV',
  usage: [
    'Usage: sigmatiq indicators <bars> --spec "<spec>" [--out FILE] [--symbol S] [--interval I]',
    '',
    '  <bars>      a CSV or Parquet file (validated on import) or a data snapshot hash',
    '  --spec      comma-separated indicator calls, e.g. "sma(20),ema(20),rsi(14),macd(12,26,9),',
    '              bbands(20,2),atr(14),adx(14)"; named arguments work too (bbands(period=20, stddev=2.5));',
    '              a single-input indicator may name its field first: sma(high, 10)',
    '  --out       output CSV (default: standard output)',
    '',
    'Output: ts (ISO 8601 UTC) then one column per output (sma_20, macd_signal_12_26_9, bb_upper_20_2, ...);',
    'warm-up cells are empty; numbers are the shortest decimal that reads back as the same float64.',
    'Indicators: see docs/indicators.md.',
  ].join('\n'),
  flags: [
    { name: 'spec', type: 'string', description: 'indicator spec' },
    { name: 'out', type: 'string', description: 'output CSV file' },
    { name: 'symbol', type: 'string', description: 'symbol for an imported file' },
    { name: 'interval', type: 'string', description: 'bar interval for an imported file' },
  ],
  async run(args, io, ctx) {
    const barsArg = args.positional(0, 'bars');
    const spec = args.requiredString('spec');
    parseIndicatorSpec(spec); // spec errors before any data work
    const bars = await resolveBars(barsArg, { symbol: args.string('symbol'), interval: args.string('interval'), env: ctx.env, cwd: ctx.cwd });
    const csv = indicatorsCsv(bars, spec);
    const out = args.string('out');
    if (out === undefined || out === '-') {
      const text = csv.endsWith('\n') ? csv.slice(0, -1) : csv;
      for (const line of text.split('\n')) io.stdout(line);
    } else {
      const target = resolve(ctx.cwd, out);
      const tmp = `${target}.${process.pid}.tmp`;
      writeFileSync(tmp, csv);
      renameSync(tmp, target);
    }
    return 0;
  },
};
