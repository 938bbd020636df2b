export { runCli, formatErrorLine, EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERNAL, type RunCliOptions } from './run.js';
export { parseArgs, Args, type FlagSpec, type ParsedArgs } from './args.js';
export type { CliCommand, CliIo, CliContext } from './types.js';
export { COMMANDS } from './commands/index.js';
