import { inspect } from 'node:util';
import type { ConsoleInterface, Executor } from 'tslab/dist/executor';
import { type CompileDiagnostic, CompileError, type JupyterError, toJupyterError } from '../errors.js';
import { displayOf, type DisplayOutput } from '../display/mime.js';
import { type OutputSink, setCurrentSink } from '../display/sink.js';
import { setCellSignal } from '../notebook/cell-signal.js';
import { type KernelContext, parseCell, type Segment } from '../magics/index.js';

export type ExecuteOutcome = { status: 'ok' } | ({ status: 'error' } & JupyterError);

/** Outputs of one execution: the sink plus the execute_result of the cell's last value. */
export interface CellIO extends OutputSink {
  result(out: DisplayOutput): void;
}

export interface HistoryEntry {
  line: number;
  input: string;
  output: string | null;
}

const DIAGNOSTIC_FORMAT = '%s%d:%d - %s';

/**
 * One kernel session: runs cells through the magic registry and tslab's executor, turning
 * tslab's console reports into values, compile errors and runtime errors.
 */
export class KernelSession {
  executionCount = 0;
  readonly history: HistoryEntry[] = [];
  private abort = new AbortController();
  private readonly captured: { values: unknown[]; errors: unknown[]; diagnostics: CompileDiagnostic[] } = { values: [], errors: [], diagnostics: [] };

  constructor(
    private readonly createExecutor: (console: ConsoleInterface) => Executor,
    private readonly kernel: KernelContext,
  ) {
    this.executor = this.createExecutor(this.console());
  }

  private readonly executor: Executor;

  private console(): ConsoleInterface {
    return {
      log: (value?: unknown) => {
        this.captured.values.push(value);
      },
      error: (first?: unknown, ...rest: unknown[]) => {
        if (first === DIAGNOSTIC_FORMAT && rest.length === 4) {
          const [, line, column, message] = rest;
          this.captured.diagnostics.push({ line: Number(line), column: Number(column), message: String(message) });
        } else {
          this.captured.errors.push(first);
        }
      },
    };
  }

  get tslab(): Executor {
    return this.executor;
  }

  /** Interrupts the running cell: async TypeScript (tslab's interrupt) and magics (AbortSignal). */
  interrupt(): void {
    this.executor.interrupt();
    this.abort.abort(new Error('interrupted'));
  }

  async execute(code: string, io: CellIO, options: { storeHistory: boolean }): Promise<ExecuteOutcome> {
    if (options.storeHistory) this.executionCount++;
    this.abort = new AbortController();
    setCellSignal(this.abort.signal);
    setCurrentSink(io);
    let segments: Segment[];
    try {
      segments = parseCell(code);
    } catch (e) {
      return this.fail(e);
    }
    let lastText: string | null = null;
    for (const [i, segment] of segments.entries()) {
      const emit = (out: DisplayOutput): void => {
        if (i === segments.length - 1) {
          io.result(out);
          lastText = out.data['text/plain'];
        } else {
          io.display(out);
        }
      };
      try {
        if (segment.kind === 'code') await this.runCode(segment.code, segment.line, emit);
        else await this.runMagic(segment, io, emit);
      } catch (e) {
        if (options.storeHistory) this.history.push({ line: this.executionCount, input: code, output: null });
        return this.fail(e);
      }
    }
    if (options.storeHistory) this.history.push({ line: this.executionCount, input: code, output: lastText });
    return { status: 'ok' };
  }

  private fail(e: unknown): ExecuteOutcome {
    return { status: 'error', ...toJupyterError(e) };
  }

  private async runCode(code: string, firstLine: number, emit: (out: DisplayOutput) => void): Promise<void> {
    const c = this.captured;
    c.values.length = 0;
    c.errors.length = 0;
    c.diagnostics.length = 0;
    const ok = await this.executor.execute(code);
    if (c.diagnostics.length > 0 && !ok) {
      throw new CompileError(c.diagnostics.map((d) => ({ ...d, line: d.line + firstLine - 1 })));
    }
    if (!ok) {
      const err = c.errors[0];
      throw err instanceof Error ? err : new Error(err === undefined ? 'execution failed' : inspect(err));
    }
    for (const value of c.values) emit(displayOf(value));
  }

  private async runMagic(segment: Exclude<Segment, { kind: 'code' }>, io: CellIO, emit: (out: DisplayOutput) => void): Promise<void> {
    const form = segment.kind === 'cell-magic' ? 'cell' : 'line';
    const magic = this.kernel.registry.resolve(segment.name, form);
    const out = await magic.run({
      name: segment.name,
      args: segment.args,
      body: segment.kind === 'cell-magic' ? segment.body : undefined,
      out: io,
      signal: this.abort.signal,
      kernel: this.kernel,
    });
    if (out !== undefined) emit(out);
  }

  /** Replaces magic lines by blank lines, so tslab's completion and inspection see TypeScript only. */
  static typescriptView(code: string): string {
    const lines = code.split('\n');
    const firstNonBlank = lines.findIndex((l) => l.trim() !== '');
    if (firstNonBlank >= 0 && lines[firstNonBlank]?.trimStart().startsWith('%%')) return lines.map(() => '').join('\n');
    return lines.map((l) => (l.startsWith('%') ? ' '.repeat(l.length) : l)).join('\n');
  }

  close(): void {
    this.executor.close();
  }
}
