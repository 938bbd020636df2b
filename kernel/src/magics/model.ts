import { displayOf } from '../display/mime.js';
import { createModel, defineModel, modelVersions, showModel } from '../notebook/models.js';
import { parseMagicArgs, positionals, stringFlag } from './args.js';
import { type Magic, usageError } from './registry.js';

const CREATE_FLAGS = [
  { name: 'pack', type: 'string', description: 'pack id (or file) in the packs folder' },
  { name: 'strategy', type: 'string', description: 'strategy id of the pack' },
  { name: 'instrument', type: 'string', description: 'instrument symbol (SPX, EURUSD, ...)' },
  { name: 'indicators', type: 'string', multiple: true, description: 'indicator/feature subset, comma separated' },
  { name: 'set', type: 'string', multiple: true, description: 'KEY=NUMBER override (repeatable; several comma separated)' },
  { name: 'data', type: 'string', description: 'default data snapshot (hash prefix or sidecar id)' },
  { name: 'description', type: 'string', description: 'free text' },
] as const;
const SHOW_FLAGS = [{ name: 'version', type: 'string', description: 'version number (default: latest)' }] as const;

/** Every value of a repeatable flag, each split on commas. */
export function listFlag(flags: Readonly<Record<string, unknown>>, name: string): string[] | undefined {
  const v = flags[name];
  const all = typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
  return all?.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

/** A positive integer flag, or a usage error naming it. */
export function intFlag(magic: Magic, text: string | undefined, name: string, min = 1): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw usageError(magic, `--${name} must be an integer >= ${min}, got "${text}"`);
  return n;
}

export const modelMagic: Magic = {
  name: 'model',
  summary: 'Create models from packs, show them and their versions',
  usage:
    '%model create <name> --pack P --strategy S [--instrument I] [--indicators a,b] [--set k=v ...] [--data <snapshot>] | ' +
    '%model show <name> [--version N] | %model versions <name> | %%model <name> (YAML body)',
  help:
    '%model create <name> --pack P --strategy S: a model of strategy S of pack P (pinned to the pack version and content hash), ' +
    'with optional --instrument, --indicators (the subset of pack indicators it uses; must cover what the strategy reads), ' +
    '--set KEY=NUMBER overrides (levels and strategy params: exit_k=80, adx_threshold=20; indicator params: rsi.period=10; ' +
    'policies: risk.stop_loss=0.05, exec.slippage_bps=2, sizing.cap=0.04; repeat --set or separate with commas) and --data ' +
    '(the snapshot %backtest and %sweep use by default). Everything is validated against the pack before anything is stored. ' +
    'The model and a model version (config YAML + config_hash) are stored in the sidecar; running it again with the same name ' +
    'adds a version only when the config_hash changes.\n' +
    '%%model <name>: the same from a YAML body (docs/models.md): pack, strategy, instrument, data, indicators, params, exec, sizing, risk.\n' +
    '%model show <name> [--version N]: the config, resolved parameters and YAML of the latest (or given) version.\n' +
    '%model versions <name>: every version with its config_hash.\n' +
    'Errors: MODEL_NOT_FOUND, MODEL_SET_INVALID, MODEL_PARAM_UNKNOWN, MODEL_PARAM_INVALID, MODEL_STRATEGY_UNKNOWN, MODEL_SCHEMA (line:col), ...\n' +
    'Notebook API: sq.model.create(name, { pack, strategy, instrument, indicators, set, data }), sq.model.define(name, yaml), ' +
    'sq.model.show(name), sq.model.versions(name).',
  forms: ['line', 'cell'],
  async run({ args, body, kernel }) {
    const locator = kernel.sidecar;
    if (body !== undefined) {
      const parsed = parseMagicArgs(modelMagic, args, []);
      if (parsed.positionals.length !== 1) throw usageError(modelMagic, '%%model needs exactly one <name> on its first line');
      if (body.trim() === '') throw usageError(modelMagic, '%%model needs a YAML body (pack:, strategy:, ...)');
      return displayOf(await defineModel(locator, parsed.positionals[0] ?? '', body));
    }
    const sub = args[0];
    switch (sub) {
      case 'create': {
        const parsed = parseMagicArgs(modelMagic, args, CREATE_FLAGS);
        const [name = ''] = positionals(modelMagic, parsed, ['name']);
        const pack = stringFlag(parsed, 'pack');
        const strategy = stringFlag(parsed, 'strategy');
        if (pack === undefined) throw usageError(modelMagic, 'create needs --pack P');
        if (strategy === undefined) throw usageError(modelMagic, 'create needs --strategy S');
        const instrument = stringFlag(parsed, 'instrument');
        const data = stringFlag(parsed, 'data');
        const description = stringFlag(parsed, 'description');
        const indicators = listFlag(parsed.flags, 'indicators');
        const set = listFlag(parsed.flags, 'set');
        return displayOf(await createModel(locator, name, {
          pack, strategy,
          ...(instrument === undefined ? {} : { instrument }),
          ...(data === undefined ? {} : { data }),
          ...(description === undefined ? {} : { description }),
          ...(indicators === undefined ? {} : { indicators }),
          ...(set === undefined ? {} : { set }),
        }));
      }
      case 'show': {
        const parsed = parseMagicArgs(modelMagic, args, SHOW_FLAGS);
        const [name = ''] = positionals(modelMagic, parsed, ['name']);
        const version = intFlag(modelMagic, stringFlag(parsed, 'version'), 'version');
        return displayOf(await showModel(locator, name, version === undefined ? {} : { version }));
      }
      case 'versions': {
        const [name = ''] = positionals(modelMagic, parseMagicArgs(modelMagic, args, []), ['name']);
        return displayOf(await modelVersions(locator, name));
      }
      case undefined:
        throw usageError(modelMagic, 'needs a sub-command (create, show or versions)');
      default:
        throw usageError(modelMagic, `unknown sub-command "${sub}" (create, show or versions)`);
    }
  },
};
