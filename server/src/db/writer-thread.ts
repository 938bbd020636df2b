/**
 * The writer thread: owns the database's write connection and runs the statements the main thread posts, in
 * order, one message at a time. The main thread (HTTP, validation, hashing) is never blocked by SQLite, and
 * above all not by the fsync of each COMMIT (synchronous=FULL): while the writer waits for the disk, the event
 * loop parses and validates the next requests, which then share the next group commit.
 *
 * Message in:  { id, stmts: Stmt[], opts?: RunOptions } or { id, close: true }
 * Message out: { id, results: RawResult[] } or { id, error: WireError }
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { StatementRunner, toWire, failedIndex, type RunOptions, type Stmt } from './sqlite-exec.js';

export interface WriterThreadData {
  location: string;
  timeoutMs: number;
}

export type WriterRequest = { id: number; stmts: readonly Stmt[]; opts?: RunOptions } | { id: number; close: true };

function main(): void {
  const port = parentPort;
  if (port === null) return;
  const data = workerData as WriterThreadData;
  let runner: StatementRunner;
  try {
    runner = new StatementRunner(data.location, data.timeoutMs);
  } catch (e) {
    port.postMessage({ id: 0, error: toWire(e, 0) });
    port.close();
    return;
  }
  port.postMessage({ id: 0, results: [] });
  port.on('message', (msg: WriterRequest) => {
    if ('close' in msg) {
      runner.close();
      port.postMessage({ id: msg.id, results: [] });
      port.close();
      return;
    }
    try {
      port.postMessage({ id: msg.id, results: runner.runAll(msg.stmts, msg.opts) });
    } catch (e) {
      port.postMessage({ id: msg.id, error: toWire(e, Math.max(0, failedIndex(e))) });
    }
  });
}

if (!isMainThread) main();
