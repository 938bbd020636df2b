import { isSigmatiqError } from '@sigmatiq/engine';
import { MagicSyntaxError } from './magics/parse.js';

/**
 * The one place where failures become Jupyter error content (ename, evalue, traceback), used for
 * both the `error` iopub output and the `execute_reply`.
 */
export interface JupyterError {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** A TypeScript diagnostic reported by tslab's compiler, with 1-based cell line and column. */
export interface CompileDiagnostic {
  line: number;
  column: number;
  message: string;
}

export class CompileError extends Error {
  readonly diagnostics: readonly CompileDiagnostic[];
  constructor(diagnostics: readonly CompileDiagnostic[]) {
    const first = diagnostics[0];
    super(first === undefined ? 'compilation failed' : `${first.line}:${first.column} - ${first.message}`);
    this.name = 'CompileError';
    this.diagnostics = diagnostics;
  }
}

export class InterruptedError extends Error {
  constructor(message = 'execution interrupted') {
    super(message);
    this.name = 'KeyboardInterrupt';
  }
}

/**
 * The user's part of a stack: from the `Name: message` line (Node prefixes errors thrown in a vm
 * with the offending source line and a caret) down to the first frame inside the kernel or tslab.
 */
function userFrames(stack: string, name: string): string[] {
  const all = stack.split('\n');
  const head = all.findIndex((l) => l.startsWith(`${name}:`) || l === name);
  const lines = head > 0 ? all.slice(head) : all;
  const out: string[] = [];
  for (const line of lines) {
    if (/tslab[\\/]dist[\\/]|kernel[\\/]dist[\\/]execution|node:internal/.test(line)) break;
    out.push(line);
  }
  return out.length > 0 ? out : lines.slice(0, 1);
}

export function toJupyterError(error: unknown): JupyterError {
  if (error instanceof CompileError) {
    return {
      ename: 'CompileError',
      evalue: error.message,
      traceback: error.diagnostics.map((d) => `${d.line}:${d.column} - ${d.message}`),
    };
  }
  if (error instanceof MagicSyntaxError) {
    return { ename: error.code, evalue: error.message, traceback: [`${error.code}: ${error.message}`] };
  }
  if (isSigmatiqError(error)) {
    const details = error.details === undefined ? [] : [`details: ${JSON.stringify(error.details)}`];
    return { ename: error.code, evalue: error.message, traceback: [`${error.code}: ${error.message}`, ...details] };
  }
  if (error instanceof Error) {
    const ename = (error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED' ? 'KeyboardInterrupt' : error.name;
    return { ename, evalue: error.message, traceback: error.stack === undefined ? [`${ename}: ${error.message}`] : userFrames(error.stack, error.name) };
  }
  const text = String(error);
  return { ename: 'Error', evalue: text, traceback: [text] };
}
