/**
 * The command registry. To add a command: write `cli/commands/<name>.ts` exporting a CliCommand,
 * import it here and add it to COMMANDS (one line each).
 */
import type { CliCommand } from '../types.js';
import { backtestCommand } from './backtest.js';
import { importCommand } from './import.js';
import { indicatorsCommand } from './indicators.js';
import { sweepCommand } from './sweep.js';

export const COMMANDS: readonly CliCommand[] = [
  importCommand,
  indicatorsCommand,
  sweepCommand,
  backtestCommand,
];
