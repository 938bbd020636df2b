/**
 * `runCli(argv, io)`: the `sigmatiq` command line, minus `server` (the sidecar's bin adds it).
 * Exit codes: 0 ok; 1 bad input or data (a SigmatiqError); 2 usage error (CLI_* codes);
 * 70 internal error (a bug: anything that is not a SigmatiqError). Every failure prints exactly
 * ONE line on stderr: `ERROR <CODE>: message (where)`.
 */
import { isSigmatiqError, type SigmatiqError } from '../errors.js';
import { Args, parseArgs } from './args.js';
import { COMMANDS } from './commands/index.js';
import type { CliCommand, CliContext, CliIo } from './types.js';

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;

export interface RunCliOptions {
  /** Commands added by the host (e.g. the sidecar's `server`), listed in help. */
  readonly extraCommands?: readonly CliCommand[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
}

const WHERE_KEYS = ['file', 'line', 'row', 'column', 'field', 'flag', 'argument', 'param', 'path', 'command'] as const;

/** `(line 12, column high)` from an error's details; `(sigmatiq <cmd>)` when it has none. */
export function formatWhere(err: SigmatiqError, command: string): string {
  const parts: string[] = [];
  const d = err.details ?? {};
  for (const k of WHERE_KEYS) {
    const v = d[k];
    if (typeof v === 'string' || typeof v === 'number') parts.push(`${k} ${v}`);
  }
  return parts.length > 0 ? parts.join(', ') : `sigmatiq ${command}`.trim();
}

/** The one error line: `ERROR <CODE>: message (where)`, newlines in the message flattened. */
export function formatErrorLine(err: SigmatiqError, command: string): string {
  return `ERROR ${err.code}: ${err.message.replace(/\s*\n\s*/g, ' ')} (${formatWhere(err, command)})`;
}

function helpText(commands: readonly CliCommand[]): string[] {
  const width = Math.max(4, ...commands.map((c) => c.name.length));
  return [
    'Usage: sigmatiq <command> [arguments] [--flags]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  Show this list, or a command's usage: sigmatiq help <command>`,
    '',
    'Errors print one line on stderr: ERROR <CODE>: message (where); exit code 1 (data/input), 2 (usage).',
  ];
}

function printLines(text: string, print: (line: string) => void): void {
  for (const line of text.split('\n')) print(line);
}

export async function runCli(argv: readonly string[], io: CliIo, options: RunCliOptions = {}): Promise<number> {
  const commands = [...COMMANDS, ...(options.extraCommands ?? [])];
  const ctx: CliContext = { env: options.env ?? process.env, cwd: options.cwd ?? process.cwd() };
  const [name, ...rest] = argv;
  const usageFail = (code: string, message: string, where: string): number => {
    io.stderr(`ERROR ${code}: ${message} (${where})`);
    return EXIT_USAGE;
  };
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic === undefined) {
      helpText(commands).forEach((l) => io.stdout(l));
      return EXIT_OK;
    }
    const cmd = commands.find((c) => c.name === topic);
    if (cmd === undefined) return usageFail('CLI_UNKNOWN_COMMAND', `unknown command "${topic}"; run sigmatiq help`, 'command ' + topic);
    printLines(cmd.usage, (l) => io.stdout(l));
    return EXIT_OK;
  }
  const cmd = commands.find((c) => c.name === name);
  if (cmd === undefined) return usageFail('CLI_UNKNOWN_COMMAND', `unknown command "${name}"; run sigmatiq help`, 'command ' + name);
  if (rest.includes('--help') || rest.includes('-h')) {
    printLines(cmd.usage, (l) => io.stdout(l));
    return EXIT_OK;
  }
  try {
    const args = new Args(parseArgs(rest, cmd.flags));
    return await cmd.run(args, io, ctx);
  } catch (err: unknown) {
    if (isSigmatiqError(err)) {
      io.stderr(formatErrorLine(err, cmd.name));
      return err.code.startsWith('CLI_') ? EXIT_USAGE : EXIT_ERROR;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`ERROR INTERNAL: ${message.replace(/\s*\n\s*/g, ' ')} (sigmatiq ${cmd.name})`);
    return EXIT_INTERNAL;
  }
}
