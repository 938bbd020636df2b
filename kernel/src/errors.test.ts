import { SigmatiqError } from '@sigmatiq/engine';
import { describe, expect, it } from 'vitest';
import { CompileError, toJupyterError } from './errors.js';
import { MagicSyntaxError } from './magics/parse.js';

describe('toJupyterError', () => {
  it('maps compile diagnostics with their cell positions', () => {
    const e = toJupyterError(new CompileError([{ line: 2, column: 5, message: "Cannot find name 'x'." }]));
    expect(e).toEqual({ ename: 'CompileError', evalue: "2:5 - Cannot find name 'x'.", traceback: ["2:5 - Cannot find name 'x'."] });
  });

  it('uses the stable code of our errors as ename', () => {
    const e = toJupyterError(new SigmatiqError('MAGIC_USAGE', 'missing <name>', { magic: 'help' }));
    expect(e.ename).toBe('MAGIC_USAGE');
    expect(e.traceback).toEqual(['MAGIC_USAGE: missing <name>', 'details: {"magic":"help"}']);
    expect(toJupyterError(new MagicSyntaxError('bad', 1, 2)).ename).toBe('MAGIC_SYNTAX');
  });

  it('keeps runtime error names and the user part of the stack', () => {
    const err = new RangeError('too far');
    err.stack = 'RangeError: too far\n    at evalmachine.<anonymous>:1:7\n    at Object.execute (/x/tslab/dist/executor.js:1:1)\n    at more';
    expect(toJupyterError(err)).toEqual({ ename: 'RangeError', evalue: 'too far', traceback: ['RangeError: too far', '    at evalmachine.<anonymous>:1:7'] });
  });

  it('drops the source-line decoration Node puts before errors thrown in a vm', () => {
    const err = new TypeError('bad input');
    err.stack = 'evalmachine.<anonymous>:3\n    throw new TypeError("bad input");\n    ^\n\nTypeError: bad input\n    at f (evalmachine.<anonymous>:3:11)';
    expect(toJupyterError(err).traceback).toEqual(['TypeError: bad input', '    at f (evalmachine.<anonymous>:3:11)']);
  });

  it('reports interrupts as KeyboardInterrupt and non-errors as text', () => {
    const err = Object.assign(new Error('Script execution was interrupted by `SIGINT`'), { code: 'ERR_SCRIPT_EXECUTION_INTERRUPTED' });
    expect(toJupyterError(err).ename).toBe('KeyboardInterrupt');
    expect(toJupyterError('boom')).toEqual({ ename: 'Error', evalue: 'boom', traceback: ['boom'] });
  });
});
