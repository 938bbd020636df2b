// The AbortSignal of the running cell: aborted when the kernel is interrupted (interrupt_request or
// SIGINT). The session sets it for every cell; `sq` functions that run long (sq.sweep.run) use it
// when no signal is passed, so interrupting a code cell cancels them as it cancels a magic.
// Kept on globalThis so the launcher's copy of this module and a notebook's require() share it.
const KEY = Symbol.for('sigmatiq.kernel.cellSignal');
type Holder = { [KEY]?: AbortSignal };

export function setCellSignal(signal: AbortSignal | undefined): void {
  (globalThis as Holder)[KEY] = signal;
}

/** The running cell's signal, or undefined outside the kernel. */
export function cellSignal(): AbortSignal | undefined {
  return (globalThis as Holder)[KEY];
}
