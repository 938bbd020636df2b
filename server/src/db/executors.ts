import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { fromWire, SqliteClientError, StatementRunner, type Entry, type RunOptions, type StatementExecutor, type Stmt, type WireError } from './sqlite-exec.js';
import type { WriterRequest, WriterThreadData } from './writer-thread.js';

const closedError = (): SqliteClientError => new SqliteClientError('The client is closed', 'CLIENT_CLOSED', undefined, undefined);

/** Statements run in the calling thread (synchronously, answered as promises). */
export class InlineExecutor implements StatementExecutor {
  private readonly runner: StatementRunner;
  private isClosed = false;

  constructor(location: string, timeoutMs: number) {
    this.runner = new StatementRunner(location, timeoutMs);
  }

  run(stmts: readonly Stmt[], opts?: RunOptions): Promise<Entry[]> {
    if (this.isClosed) return Promise.reject(closedError());
    try {
      return Promise.resolve(this.runner.runAll(stmts, opts));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  close(): void {
    this.isClosed = true;
    this.runner.close();
  }

  get closed(): boolean {
    return this.isClosed;
  }
}

/** The compiled writer thread: beside this file in dist/, or dist/ when running from src/ (vitest). */
function writerThreadFile(): string {
  const here = path.join(__dirname, 'writer-thread.js');
  if (existsSync(here)) return here;
  const built = path.resolve(__dirname, '../../dist/db/writer-thread.js');
  if (existsSync(built)) return built;
  throw new Error(`writer-thread.js not found next to ${__dirname} nor in server/dist/db (build the server: tsc -b server)`);
}

type Reply = { id: number; results: Entry[] } | { id: number; error: WireError };

/**
 * Statements run on the writer thread (writer-thread.ts), which owns the connection. Messages are answered in
 * the order they were posted, so statements posted back to back without waiting (a pipeline) run in that
 * order. The thread keeps the process alive only while an answer is awaited.
 */
export class WorkerExecutor implements StatementExecutor {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (r: Entry[]) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private isClosed = false;
  private failure: Error | null = null;

  private constructor(worker: Worker) {
    this.worker = worker;
    worker.on('message', (m: Reply) => this.answer(m));
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', () => this.fail(new SqliteClientError('The writer thread exited', 'CLIENT_CLOSED', undefined, undefined)));
  }

  /** Starts the writer thread and waits until its connection is open. */
  static async start(location: string, timeoutMs: number): Promise<WorkerExecutor> {
    const data: WriterThreadData = { location, timeoutMs };
    const worker = new Worker(writerThreadFile(), { workerData: data });
    const first = await new Promise<Reply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if ('error' in first) {
      await worker.terminate();
      throw fromWire(first.error);
    }
    worker.unref();
    return new WorkerExecutor(worker);
  }

  private answer(m: Reply): void {
    const w = this.waiting.get(m.id);
    if (w === undefined) return;
    this.waiting.delete(m.id);
    if (this.waiting.size === 0) this.worker.unref();
    if ('error' in m) w.reject(fromWire(m.error));
    else w.resolve(m.results);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }

  private post(msg: WriterRequest): Promise<Entry[]> {
    return new Promise<Entry[]>((resolve, reject) => {
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(msg.id, { resolve, reject });
      this.worker.postMessage(msg);
    });
  }

  run(stmts: readonly Stmt[], opts?: RunOptions): Promise<Entry[]> {
    if (this.isClosed) return Promise.reject(closedError());
    if (this.failure !== null) return Promise.reject(this.failure);
    const msg: WriterRequest = opts === undefined ? { id: this.nextId++, stmts } : { id: this.nextId++, stmts, opts };
    return this.post(msg);
  }

  /** Closes the connection after every statement already posted has run (the thread then exits). */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    if (this.failure === null) this.post({ id: this.nextId++, close: true }).catch(() => undefined);
  }

  get closed(): boolean {
    return this.isClosed;
  }
}
