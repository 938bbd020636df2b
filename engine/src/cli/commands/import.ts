/**
 * `sigmatiq import <file.csv|.parquet> [--symbol S] [--interval 1d] [--store DIR]
 *   [--date-format FMT] [--timezone ZONE]`: validate and normalize a file of OHLCV bars, freeze it
 * as a content-addressed snapshot and print the DataSnapshot record as JSON (plus `reused`).
 */
import { resolve } from 'node:path';
import { defaultStoreDir, importToSnapshot } from '../../data/index.js';
import { canonicalJson } from '../../hash/index.js';
import type { CliCommand } from '../types.js';

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Import a CSV/Parquet file of OHLCV bars as an immutable data snapshot',
  usage: [
    'Usage: sigmatiq import <file.csv|file.parquet> [--symbol S] [--interval 1d] [--store DIR]',
    '                      [--date-format FMT] [--timezone ZONE]',
    '',
    'Validates every row (nothing is imported when any row is bad), normalizes to UTC epoch ms in',
    'ascending order, freezes the bars as <store>/<sha256>.parquet and prints the DataSnapshot record.',
    '',
    '  --symbol S         instrument symbol (default: file name up to the first _ - or .)',
    '  --interval I       bar interval, e.g. 1m 5m 1h 1d 1mo (default: inferred from the timestamps)',
    '  --store DIR        snapshot store (default: $SIGMATIQ_DATA_DIR/snapshots or <repo>/.sigmatiq/snapshots)',
    '  --date-format FMT  strptime format of the timestamp column, e.g. %m/%d/%Y or %d-%b-%y',
    '  --timezone ZONE    IANA zone of timestamps without an offset (default UTC), e.g. America/New_York',
    '',
    'Example: sigmatiq import data/sp500_daily.csv --symbol SPX --interval 1d',
  ].join('\n'),
  flags: [
    { name: 'symbol', type: 'string', description: 'instrument symbol' },
    { name: 'interval', type: 'string', description: 'bar interval' },
    { name: 'store', type: 'string', description: 'snapshot store directory' },
    { name: 'date-format', type: 'string', description: 'strptime format of the timestamps' },
    { name: 'timezone', type: 'string', description: 'zone of naive timestamps' },
  ],
  async run(args, io, ctx) {
    const file = resolve(ctx.cwd, args.positional(0, 'file'));
    const store = args.string('store');
    const symbol = args.string('symbol');
    const interval = args.string('interval');
    const dateFormat = args.string('date-format');
    const timezone = args.string('timezone');
    const { record, reused } = await importToSnapshot(file, {
      storeDir: store !== undefined ? resolve(ctx.cwd, store) : defaultStoreDir(ctx.env, ctx.cwd),
      ...(symbol !== undefined ? { symbol } : {}),
      ...(interval !== undefined ? { interval } : {}),
      ...(dateFormat !== undefined ? { dateFormat } : {}),
      ...(timezone !== undefined ? { timezone } : {}),
    });
    // Keys sorted (canonical order) so first and repeated imports print identically.
    const text = JSON.stringify(JSON.parse(canonicalJson({ ...record, reused })), null, 2);
    for (const line of text.split('\n')) io.stdout(line);
    return 0;
  },
};
