import type { DisplayOutput } from './mime.js';

/** Where a cell's outputs go: the kernel's iopub channel while a cell runs. */
export interface OutputSink {
  stream(name: 'stdout' | 'stderr', text: string): void;
  /** display_data, or update_display_data when `update` is set (needs a displayId). */
  display(out: DisplayOutput, options?: { displayId?: string; update?: boolean }): void;
  clear(wait: boolean): void;
}

// Kept on globalThis so that every copy of this module (the launcher's and a notebook's
// `require('@sigmatiq/kernel')`) sees the same sink.
const KEY = Symbol.for('sigmatiq.kernel.sink');
type Holder = { [KEY]?: OutputSink };

export function setCurrentSink(sink: OutputSink): void {
  (globalThis as Holder)[KEY] = sink;
}

/** The sink of the running (or last) cell, or undefined outside a kernel. */
export function currentSink(): OutputSink | undefined {
  return (globalThis as Holder)[KEY];
}
