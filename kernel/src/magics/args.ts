import { isSigmatiqError, parseArgs, type FlagSpec, type ParsedArgs } from '@sigmatiq/engine';
import { type Magic, usageError } from './registry.js';

/** The engine's CLI parser, with its CLI_* errors turned into MAGIC_USAGE errors of `magic`. */
export function parseMagicArgs(magic: Magic, argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  try {
    return parseArgs(argv, specs);
  } catch (e) {
    if (isSigmatiqError(e) && e.code.startsWith('CLI_')) throw usageError(magic, e.message);
    throw e;
  }
}

/** A single-valued string flag (undefined when absent). */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** Exactly `n` positionals after the sub-command, or a usage error naming what is missing or extra. */
export function positionals(magic: Magic, args: ParsedArgs, names: readonly string[]): string[] {
  const rest = args.positionals.slice(1);
  if (rest.length < names.length) throw usageError(magic, `${args.positionals[0] ?? ''} needs <${names[rest.length] ?? ''}>`.trim());
  if (rest.length > names.length) throw usageError(magic, `unexpected argument "${rest[names.length] ?? ''}"`);
  return rest;
}

/** The one positional argument of a line magic (`<sweep>`, `<target>`, `<model>`), or a usage error: `needs <what>` / `unexpected argument`. */
export function soleArgument(magic: Magic, args: ParsedArgs, what: string): string {
  const [first, second] = args.positionals;
  if (first === undefined) throw usageError(magic, `needs ${what}`);
  if (second !== undefined) throw usageError(magic, `unexpected argument "${second}"`);
  return first;
}
