import { displayOf } from '../display/mime.js';
import { importData, listData, showData } from '../notebook/data.js';
import { parseMagicArgs, positionals, stringFlag } from './args.js';
import { type Magic, usageError } from './registry.js';

const IMPORT_FLAGS = [
  { name: 'symbol', type: 'string', description: 'instrument symbol (default: from the file name)' },
  { name: 'interval', type: 'string', description: 'bar interval, e.g. 1d, 1h, 5m (default: inferred)' },
] as const;

export const dataMagic: Magic = {
  name: 'data',
  summary: 'Import market data into frozen snapshots, list and show them',
  usage: '%data import <file> [--symbol S] [--interval I] | %data list | %data show <snapshot>',
  help:
    '%data import <file>: freezes the file (CSV or Parquet OHLCV) as a content-addressed snapshot in <data dir>/snapshots ' +
    'and registers it in the sidecar; shows hash, rows, range, gaps and whether the snapshot already existed (reused).\n' +
    "%data list: the sidecar's data snapshots.\n" +
    '%data show <snapshot>: summary and a candlestick chart (at most 2,000 candles; longer series are aggregated for display). ' +
    '<snapshot> is a hash prefix (4+ characters) or a sidecar id.\n' +
    'Notebook API: sq.data.import(file, { symbol, interval }), sq.data.list(), sq.data.show(snapshot).',
  forms: ['line'],
  async run({ args, kernel, out }) {
    const sub = args[0];
    const locator = kernel.sidecar;
    switch (sub) {
      case 'import': {
        const parsed = parseMagicArgs(dataMagic, args, IMPORT_FLAGS);
        const [file = ''] = positionals(dataMagic, parsed, ['file']);
        const symbol = stringFlag(parsed, 'symbol');
        const interval = stringFlag(parsed, 'interval');
        return displayOf(await importData(locator, file, { ...(symbol === undefined ? {} : { symbol }), ...(interval === undefined ? {} : { interval }) }));
      }
      case 'list': {
        positionals(dataMagic, parseMagicArgs(dataMagic, args, []), []);
        return displayOf(await listData(locator));
      }
      case 'show': {
        const [ref = ''] = positionals(dataMagic, parseMagicArgs(dataMagic, args, []), ['snapshot']);
        const view = await showData(locator, ref);
        out.display(view.summary());
        return view.chart();
      }
      case undefined:
        throw usageError(dataMagic, 'needs a sub-command (import, list or show)');
      default:
        throw usageError(dataMagic, `unknown sub-command "${sub}" (import, list or show)`);
    }
  },
};
