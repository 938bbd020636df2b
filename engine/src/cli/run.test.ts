import { describe, expect, it } from 'vitest';
import { SigmatiqError } from '../errors.js';
import { runCli } from './run.js';
import type { CliCommand, CliIo } from './types.js';

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (l) => out.push(l), stderr: (l) => err.push(l) };
}

const echo: CliCommand = {
  name: 'echo',
  summary: 'Print arguments',
  usage: 'Usage: sigmatiq echo <word> [--upper]',
  flags: [{ name: 'upper', type: 'boolean' }],
  run(args, io) {
    const w = args.positional(0, 'word');
    io.stdout(args.boolean('upper') ? w.toUpperCase() : w);
    return 0;
  },
};
const failing: CliCommand = {
  name: 'fail',
  summary: 'Fails',
  usage: 'Usage: sigmatiq fail',
  flags: [],
  run(args) {
    if (args.positionals[0] === 'bug') throw new TypeError('boom\nsecond line');
    throw new SigmatiqError('DATA_HIGH_LOW', 'high 1 < low 2', { file: 'a.csv', line: 7, column: 'high' });
  },
};
const opts = { extraCommands: [echo, failing] };

describe('runCli', () => {
  it('runs a command with parsed flags', async () => {
    const io = capture();
    expect(await runCli(['echo', 'hi', '--upper'], io, opts)).toBe(0);
    expect(io.out).toEqual(['HI']);
    expect(io.err).toEqual([]);
  });

  it('prints help (no args, help, help <cmd>, <cmd> --help)', async () => {
    let io = capture();
    expect(await runCli([], io, opts)).toBe(0);
    expect(io.out.join('\n')).toMatch(/echo\s+Print arguments/);
    io = capture();
    expect(await runCli(['help', 'echo'], io, opts)).toBe(0);
    expect(io.out).toEqual(['Usage: sigmatiq echo <word> [--upper]']);
    io = capture();
    expect(await runCli(['echo', '--help'], io, opts)).toBe(0);
    expect(io.out).toEqual(['Usage: sigmatiq echo <word> [--upper]']);
  });

  it('bad input: exit != 0 and exactly one ERROR line with code and where', async () => {
    const cases: [string[], number, string][] = [
      [['nope'], 2, 'ERROR CLI_UNKNOWN_COMMAND: unknown command "nope"; run sigmatiq help (command nope)'],
      [['echo'], 2, 'ERROR CLI_MISSING_ARGUMENT: missing argument <word> (argument word)'],
      [['echo', 'x', '--bad'], 2, 'ERROR CLI_UNKNOWN_FLAG: unknown flag --bad (flag --bad)'],
      [['fail'], 1, 'ERROR DATA_HIGH_LOW: high 1 < low 2 (file a.csv, line 7, column high)'],
      [['fail', 'bug'], 70, 'ERROR INTERNAL: boom second line (sigmatiq fail)'],
      [['help', 'zzz'], 2, 'ERROR CLI_UNKNOWN_COMMAND: unknown command "zzz"; run sigmatiq help (command zzz)'],
    ];
    for (const [argv, exit, line] of cases) {
      const io = capture();
      expect(await runCli(argv, io, opts)).toBe(exit);
      expect(io.err).toEqual([line]);
      expect(io.out).toEqual([]);
    }
  });
});
