import { displayOf } from '../display/mime.js';
import { listPackFiles, showPack, validatePackFile } from '../notebook/packs.js';
import { parseMagicArgs, positionals, stringFlag } from './args.js';
import { type Magic, usageError } from './registry.js';

const VALIDATE_FLAGS = [{ name: 'data', type: 'string', description: 'data file or snapshot for the sanity backtest' }] as const;

export const packMagic: Magic = {
  name: 'pack',
  summary: 'List, show and validate strategy packs',
  usage: '%pack list | %pack show <id> | %pack validate <file|id> [--data <file-or-snapshot>]',
  help:
    '%pack list: the pack files of the packs folder (SIGMATIQ_PACKS_DIR, else <repo>/packs), with load errors.\n' +
    '%pack show <id>: vibe, indicators, strategies and gates as tables.\n' +
    '%pack validate <file|id>: the PackValidationReport (code, message, path, line:col of every error and warning); ' +
    'with --data (a CSV/Parquet file, a file name in the shared real-data folder, or a snapshot hash prefix / sidecar id) ' +
    'it also runs the sanity backtest. A pack that parses is registered in the sidecar with its report.\n' +
    'Notebook API: sq.pack.list(), sq.pack.show(id), sq.pack.validate(fileOrId, { data }).',
  forms: ['line'],
  async run({ args, kernel }) {
    const sub = args[0];
    switch (sub) {
      case 'list':
        positionals(packMagic, parseMagicArgs(packMagic, args, []), []);
        return displayOf(listPackFiles());
      case 'show': {
        const [id = ''] = positionals(packMagic, parseMagicArgs(packMagic, args, []), ['id']);
        return displayOf(showPack(id));
      }
      case 'validate': {
        const parsed = parseMagicArgs(packMagic, args, VALIDATE_FLAGS);
        const [target = ''] = positionals(packMagic, parsed, ['file|id']);
        const data = stringFlag(parsed, 'data');
        return displayOf(await validatePackFile(kernel.sidecar, target, data === undefined ? {} : { data }));
      }
      case undefined:
        throw usageError(packMagic, 'needs a sub-command (list, show or validate)');
      default:
        throw usageError(packMagic, `unknown sub-command "${sub}" (list, show or validate)`);
    }
  },
};
