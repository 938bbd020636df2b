/**
 * A small, pure command-line argument parser. Each command declares its flags; the parser
 * accepts `--name value`, `--name=value`, boolean `--name`, repeated flags (`multiple: true`),
 * positionals anywhere, and `--` to end flags. Unknown flags and missing values are errors.
 */
import { SigmatiqError } from '../errors.js';

export interface FlagSpec {
  /** Long name without dashes, e.g. `symbol` for `--symbol`. */
  readonly name: string;
  /** `string` takes a value; `boolean` does not (`--json`). */
  readonly type: 'string' | 'boolean';
  /** May be given more than once (values are collected in order). */
  readonly multiple?: boolean;
  /** One-line description for help text. */
  readonly description?: string;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  /** Flag values: the last value for single flags, every value for `multiple` ones. */
  readonly flags: Readonly<Record<string, string | boolean | readonly string[]>>;
}

function usageError(code: string, message: string, flag: string): SigmatiqError {
  return new SigmatiqError(code, message, { flag });
}

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const positionals: string[] = [];
  const flags: Record<string, string | boolean | string[]> = {};
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (onlyPositionals || !arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const spec = byName.get(name);
    if (spec === undefined) throw usageError('CLI_UNKNOWN_FLAG', `unknown flag --${name}`, `--${name}`);
    let value: string | boolean;
    if (spec.type === 'boolean') {
      if (eq >= 0) {
        const text = arg.slice(eq + 1);
        if (text !== 'true' && text !== 'false') {
          throw usageError('CLI_BAD_VALUE', `--${name} takes no value (or =true/=false), got "${text}"`, `--${name}`);
        }
        value = text === 'true';
      } else {
        value = true;
      }
    } else if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined) throw usageError('CLI_MISSING_VALUE', `--${name} needs a value`, `--${name}`);
      value = next;
      i++;
    }
    if (spec.multiple === true) {
      const prev = flags[name];
      const list = Array.isArray(prev) ? prev : [];
      list.push(String(value));
      flags[name] = list;
    } else {
      if (name in flags) throw usageError('CLI_REPEATED_FLAG', `--${name} given more than once`, `--${name}`);
      flags[name] = value;
    }
  }
  return { positionals, flags };
}

/** Typed accessors over ParsedArgs; every failure is a CLI_* error naming the flag. */
export class Args {
  constructor(readonly parsed: ParsedArgs) {}

  get positionals(): readonly string[] {
    return this.parsed.positionals;
  }

  /** The i-th positional, or a CLI_MISSING_ARGUMENT error naming `label`. */
  positional(i: number, label: string): string {
    const v = this.parsed.positionals[i];
    if (v === undefined) throw new SigmatiqError('CLI_MISSING_ARGUMENT', `missing argument <${label}>`, { argument: label });
    return v;
  }

  string(name: string): string | undefined {
    const v = this.parsed.flags[name];
    return typeof v === 'string' ? v : undefined;
  }

  requiredString(name: string): string {
    const v = this.string(name);
    if (v === undefined) throw usageError('CLI_MISSING_FLAG', `--${name} is required`, `--${name}`);
    return v;
  }

  boolean(name: string): boolean {
    return this.parsed.flags[name] === true;
  }

  all(name: string): readonly string[] {
    const v = this.parsed.flags[name];
    if (Array.isArray(v)) return v as readonly string[];
    return typeof v === 'string' ? [v] : [];
  }

  /** A finite number flag (decimal text, as Number() reads it), or undefined when absent. */
  number(name: string): number | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    const n = v.trim() === '' ? NaN : Number(v);
    if (!Number.isFinite(n)) throw usageError('CLI_BAD_VALUE', `--${name} must be a finite number, got "${v}"`, `--${name}`);
    return n;
  }
}
