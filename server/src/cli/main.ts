#!/usr/bin/env node
import type { CliCommand } from '@sigmatiq/engine';
import { isSigmatiqError } from '../engine.js';
import { runServerCommand, SERVER_HELP, type CliIo } from './server-command.js';

/**
 * `server` as the engine CLI sees it: listed in `sigmatiq help` and `sigmatiq help server`. The command itself
 * is run by `main` below (it is long-lived and owns process signals), never through runCli.
 */
const SERVER_COMMAND: CliCommand = {
  name: 'server',
  summary: 'Start the sidecar HTTP server (registry, lineage, auth) on 127.0.0.1',
  usage: SERVER_HELP.trimEnd(),
  flags: [
    { name: 'port', type: 'string', description: 'port, 0 = a free one' },
    { name: 'data-dir', type: 'string', description: 'data directory' },
    { name: 'host', type: 'string', description: 'interface to bind' },
  ],
  run: () => {
    throw new Error('sigmatiq server is run by the sidecar bin, not through runCli');
  },
};

/**
 * Entry point of the `sigmatiq` bin: `server` starts the sidecar (resolves 'running'); every other command
 * (`import`, `indicators`, `backtest`, `sweep`, `help`) goes to the engine's `runCli`.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number | 'running'> {
  if (argv[0] === 'server') {
    try {
      return await runServerCommand(argv.slice(1), io);
    } catch (err) {
      if (!isSigmatiqError(err)) throw err;
      io.stderr(`ERROR ${err.toLine()} (sigmatiq server)\n`);
      return 2;
    }
  }
  // Loaded only for engine commands: the engine index (DuckDB, every command) is slow to load.
  const { runCli } = await import('@sigmatiq/engine');
  return runCli(argv, { stdout: (l) => io.stdout(`${l}\n`), stderr: (l) => io.stderr(`${l}\n`) }, { extraCommands: [SERVER_COMMAND] });
}

if (require.main === module) {
  const io: CliIo = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };
  main(process.argv.slice(2), io).then(
    (code) => {
      if (code !== 'running') process.exitCode = code;
    },
    (err: unknown) => {
      io.stderr(`ERROR INTERNAL: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 70;
    },
  );
}
