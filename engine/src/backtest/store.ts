import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SigmatiqError } from '../errors.js';
import type { BacktestMetrics } from './metrics.js';
import type { StatusCounts } from './run.js';

/** What a run stores and what the CLI prints: the metrics plus identity and counts. */
export interface BacktestSummary extends BacktestMetrics {
  readonly run_hash: string;
  readonly data_hash: string;
  readonly engine_version: string;
  /** Number of bars simulated. */
  readonly bars: number;
  /** Trades (closed + open at the end) = total_trades. */
  readonly trades: number;
  readonly status: StatusCounts;
}

/** Results by run_hash: a repeated run with the same hash reuses the stored summary. */
export interface ResultStore {
  get(runHash: string): Promise<BacktestSummary | undefined>;
  /** Stores (or overwrites with identical content) the summary under `summary.run_hash`. */
  put(summary: BacktestSummary): Promise<void>;
}

const HASH = /^[0-9a-f]{64}$/;

function hashProblem(runHash: string): SigmatiqError | undefined {
  return HASH.test(runHash) ? undefined : new SigmatiqError('BACKTEST_STORE', `run hash must be 64 lower-case hex characters, got '${runHash}'`, { field: 'run_hash' });
}

function checkHash(runHash: string): void {
  const e = hashProblem(runHash);
  if (e !== undefined) throw e;
}

/**
 * A summary as JSON text. JSON has no infinity and `profit_factor` is +Infinity for a run with winners and no
 * loser, so it is written as the string "Infinity" and read back as the number (every other field as is).
 */
export function summaryJson(summary: BacktestSummary): string {
  return JSON.stringify(summary, (k, v: unknown) => (k === 'profit_factor' && v === Number.POSITIVE_INFINITY ? 'Infinity' : v));
}

function parseSummary(text: string): unknown {
  return JSON.parse(text, (k, v: unknown) => (k === 'profit_factor' && v === 'Infinity' ? Number.POSITIVE_INFINITY : v));
}

/** In-memory store (tests, one process). Returns copies so callers cannot mutate stored results. */
export class MemoryResultStore implements ResultStore {
  private readonly map = new Map<string, string>();
  get(runHash: string): Promise<BacktestSummary | undefined> {
    const bad = hashProblem(runHash);
    if (bad !== undefined) return Promise.reject(bad);
    const s = this.map.get(runHash);
    return Promise.resolve(s === undefined ? undefined : (parseSummary(s) as BacktestSummary));
  }
  put(summary: BacktestSummary): Promise<void> {
    const bad = hashProblem(summary.run_hash);
    if (bad !== undefined) return Promise.reject(bad);
    this.map.set(summary.run_hash, summaryJson(summary));
    return Promise.resolve();
  }
}

/** One JSON file per run, `<dir>/<run_hash>.json`, written to a temp file then renamed (atomic). */
export class DirectoryResultStore implements ResultStore {
  constructor(readonly dir: string) {}

  async get(runHash: string): Promise<BacktestSummary | undefined> {
    checkHash(runHash);
    let text: string;
    try {
      text = await readFile(join(this.dir, `${runHash}.json`), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    let parsed: unknown;
    try {
      parsed = parseSummary(text);
    } catch (e) {
      throw new SigmatiqError('BACKTEST_STORE', `stored result ${runHash}.json is not valid JSON`, { path: join(this.dir, `${runHash}.json`) }, { cause: e });
    }
    if (typeof parsed !== 'object' || parsed === null || (parsed as { run_hash?: unknown }).run_hash !== runHash) {
      throw new SigmatiqError('BACKTEST_STORE', `stored result ${runHash}.json does not hold run ${runHash}`, { path: join(this.dir, `${runHash}.json`) });
    }
    return parsed as BacktestSummary;
  }

  async put(summary: BacktestSummary): Promise<void> {
    checkHash(summary.run_hash);
    await mkdir(this.dir, { recursive: true });
    const final = join(this.dir, `${summary.run_hash}.json`);
    const tmp = `${final}.${process.pid}.tmp`;
    await writeFile(tmp, `${summaryJson(summary)}\n`, 'utf8');
    await rename(tmp, final);
  }
}
