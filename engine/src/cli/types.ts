import type { Args, FlagSpec } from './args.js';

/** Where a command writes: one call per line (no trailing newline). */
export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

/** Per-invocation context: environment and working directory (injectable for tests). */
export interface CliContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** One `sigmatiq <name>` command: its own module in cli/commands/<name>.ts. */
export interface CliCommand {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Full usage text (may be several lines), printed by `sigmatiq help <name>` and `--help`. */
  readonly usage: string;
  /** Flags the command accepts (`--help` is always accepted). */
  readonly flags: readonly FlagSpec[];
  /** Returns the exit code; throws SigmatiqError on bad input (runCli prints it as one line). */
  run(args: Args, io: CliIo, ctx: CliContext): Promise<number> | number;
}
