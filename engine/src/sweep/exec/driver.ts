/**
 * Runs a sampler's plan on the pool (or inline), in chunks, keeping results by combination id.
 * Determinism: every combination is a pure function of (bars, target, point); the sampler is told
 * results in ask order; the Kendall early stop reads results in combination order; so the set of
 * results never depends on the number of workers or on timing. Results of chunks still in flight
 * when the stop fires are dropped (they lie past the cut-off).
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { SweepError } from '../errors.js';
import type { KendallEarlyStop } from '../pruning/kendall.js';
import type { Sampler } from '../samplers/types.js';
import type { ParamPoint } from '../space/space.js';
import type { SweepProgress } from '../types.js';
import { JobEvaluator } from './evaluate.js';
import type { SweepPool } from './pool.js';
import { K_METRICS, type EvalResult, type SweepJob } from './protocol.js';
import { bindPoint, type BoundRun, type SweepTarget } from './target.js';

export interface RawCombo {
  readonly id: number;
  readonly point: ParamPoint;
  readonly metrics: Float64Array;
  readonly blocks: Float64Array;
  readonly error: { readonly code: string; readonly message: string } | undefined;
  /** config_hash computed by the evaluator (undefined: finalize computes it). */
  readonly configHash?: string | undefined;
}

export interface DriveOptions {
  readonly target: SweepTarget;
  readonly pool: SweepPool | undefined;
  readonly workers: number;
  /** Combinations per task (the largest, when `guided`). */
  readonly chunkSize: number;
  /**
   * Guided chunks: ceil(remaining / (4 · workers)) clamped to [1, chunkSize], so tasks are big while
   * much remains (fewer messages) and shrink at the end (workers finish together). Result-neutral.
   */
  readonly guided?: boolean;
  readonly tpeBatch: number;
  readonly signal: AbortSignal | undefined;
  readonly kendall: KendallEarlyStop | undefined;
  readonly onProgress: ((p: SweepProgress) => void) | undefined;
  readonly progressIntervalMs: number;
  readonly sweepId: string;
  /** This thread's evaluator of the job when there is no pool (run.ts reuses it for the DSR); undefined: a new one. */
  readonly main?: JobEvaluator | undefined;
  /**
   * Finished combinations, in combination-id order, as soon as every lower id is finished (and, with
   * the Kendall stop, has passed it), so no delivered combination is dropped later; the rest (a
   * cancelled sweep's partials past a gap) once at the end. Each id is delivered exactly once, and
   * the union is exactly `DriveOutcome.combos`. Undefined: no work at all.
   */
  readonly onCombos?: ((combos: readonly RawCombo[]) => void) | undefined;
  /**
   * Every result as soon as it arrives, in arrival order (timing-dependent; the Kendall stop may
   * still drop some later: `DriveOutcome.combos` is the final set). For work per combination that
   * this thread can do while the workers evaluate (run.ts builds the leaderboard rows).
   */
  readonly onAccepted?: ((combos: readonly RawCombo[]) => void) | undefined;
}

export interface DriveOutcome {
  readonly best: SweepProgress['best'];
  readonly combos: RawCombo[];
  readonly cancelled: boolean;
  /** Id past the last kept combination when the Kendall stop fired. */
  readonly stoppedAt: number | undefined;
  readonly cache: { hits: number; misses: number };
}

function isAbort(e: unknown): boolean {
  const x = e as { name?: unknown; code?: unknown };
  return x.name === 'AbortError' || x.code === 'ABORT_ERR';
}

export async function drive(job: SweepJob, sampler: Sampler, o: DriveOptions): Promise<DriveOutcome> {
  const S = job.blocks;
  const results: (RawCombo | undefined)[] = [];
  const points: ParamPoint[] = [];
  const cache = { hits: 0, misses: 0 };
  const inline = o.pool === undefined ? (o.main ?? new JobEvaluator(job)) : undefined;
  const started = Date.now();
  let done = 0;
  let best: SweepProgress['best'];
  let inOrder = 0;
  let stoppedAt: number | undefined;
  let failure: unknown;
  let emitted = 0;
  const total = (): number => (stoppedAt ?? sampler.planned);

  const progress = (): void => {
    if (o.onProgress === undefined) return;
    const elapsed = Date.now() - started;
    const t = total();
    o.onProgress({ sweep_id: o.sweepId, done: Math.min(done, t), total: t, progress: t > 0 ? Math.min(done, t) / t : 1, elapsed_ms: elapsed, eta_ms: done > 0 ? (elapsed / done) * Math.max(0, t - done) : Number.NaN, best, phase: 'running' });
  };
  const timer = o.onProgress === undefined ? undefined : setInterval(progress, o.progressIntervalMs);

  /** `owned`: r's arrays belong to this call (a pool answer, a structured clone), so rows may be views into them. */
  const accept = (r: EvalResult, owned = false): void => {
    cache.hits += r.cache.hits;
    cache.misses += r.cache.misses;
    const errs = new Map(r.errors.map((e) => [e.id, e]));
    const fresh: RawCombo[] | undefined = o.onAccepted === undefined ? undefined : [];
    r.ids.forEach((id, i) => {
      if (stoppedAt !== undefined && id >= stoppedAt) return;
      // Views into an owned answer's arrays (read only from here on): no ArrayBuffer per combination.
      const metrics = owned ? r.metrics.subarray(i * K_METRICS, (i + 1) * K_METRICS) : r.metrics.slice(i * K_METRICS, (i + 1) * K_METRICS);
      const e = errs.get(id);
      const h = r.hashes?.[i];
      const rc: RawCombo = { id, point: points[id] as ParamPoint, metrics, blocks: owned ? r.blocks.subarray(i * 2 * S, (i + 1) * 2 * S) : r.blocks.slice(i * 2 * S, (i + 1) * 2 * S), error: e === undefined ? undefined : { code: e.code, message: e.message }, configHash: h === undefined || h === '' ? undefined : h };
      results[id] = rc;
      fresh?.push(rc);
      done++;
      const sharpe = metrics[2] ?? Number.NaN;
      if (e === undefined && !Number.isNaN(sharpe) && (best === undefined || sharpe > best.sharpe_ratio)) best = { combo_id: id, params: points[id] as ParamPoint, sharpe_ratio: sharpe };
    });
    if (fresh !== undefined && fresh.length > 0) o.onAccepted?.(fresh);
    // Feed the early stop in combination order.
    while (o.kendall !== undefined && stoppedAt === undefined && results[inOrder] !== undefined) {
      const rc = results[inOrder] as RawCombo;
      inOrder++;
      if (o.kendall.push(rc.error === undefined ? (rc.metrics[2] ?? Number.NaN) : Number.NaN)) stoppedAt = inOrder;
    }
    if (stoppedAt !== undefined) {
      for (let id = stoppedAt; id < results.length; id++) if (results[id] !== undefined) { results[id] = undefined; done--; }
    }
    if (o.onCombos !== undefined) emit(o.kendall === undefined ? results.length : inOrder);
  };
  // Delivers the finished prefix below `limit` (see DriveOptions.onCombos).
  const emit = (limit: number): void => {
    const out: RawCombo[] = [];
    for (let r = results[emitted]; emitted < limit && r !== undefined; r = results[++emitted]) out.push(r);
    if (out.length > 0) o.onCombos?.(out);
  };

  const inFlight = new Set<Promise<void>>();
  const submit = (allIds: number[], pts: ParamPoint[]): void => {
    // Bind on this thread (workers never load packs); a point that does not bind fails alone.
    const ids: number[] = [];
    const runs: BoundRun[] = [];
    const bindErrors: { id: number; code: string; message: string }[] = [];
    pts.forEach((p, i) => {
      const id = allIds[i] ?? -1;
      try {
        runs.push(bindPoint(o.target, p));
        ids.push(id);
      } catch (e) {
        const err = e as { code?: unknown; message?: unknown };
        bindErrors.push({ id, code: typeof err.code === 'string' ? err.code : 'INTERNAL', message: typeof err.message === 'string' ? err.message : String(e) });
      }
    });
    if (bindErrors.length > 0) {
      const n = bindErrors.length;
      accept({ ids: bindErrors.map((e) => e.id), metrics: new Float64Array(n * K_METRICS).fill(Number.NaN), blocks: new Float64Array(n * 2 * S), errors: bindErrors, cache: { hits: 0, misses: 0 } });
    }
    if (ids.length === 0) return;
    if (inline !== undefined) {
      accept(inline.evaluate(ids, runs));
      return;
    }
    const pool = o.pool as SweepPool;
    const p = pool.run({ job, ids, runs }, o.signal).then((r) => accept(r, true), (e: unknown) => {
      if (!isAbort(e)) failure ??= e;
    });
    const tracked = p.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };
  // Four tasks queued per worker: a worker never waits for this thread to hand it the next chunk
  // (on a busy machine this thread is not always scheduled at once). Results do not depend on it.
  const maxInFlight = Math.max(4, o.workers * 4);
  const stopped = (): boolean => o.signal?.aborted === true || stoppedAt !== undefined || failure !== undefined;

  try {
    while (!stopped()) {
      const chunk = o.guided === true ? Math.min(o.chunkSize, Math.max(1, Math.ceil((sampler.planned - points.length) / (4 * o.workers)))) : o.chunkSize;
      const batch = sampler.ask(sampler.adaptive ? o.tpeBatch : chunk);
      if (batch.length === 0) break;
      const firstId = points.length;
      points.push(...batch);
      for (let off = 0; off < batch.length && !stopped(); off += chunk) {
        const pts = batch.slice(off, off + chunk);
        submit(pts.map((_, i) => firstId + off + i), pts);
        if (inline !== undefined) await yieldToLoop();
        while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
      }
      if (sampler.adaptive) {
        await Promise.all(inFlight);
        if (stopped()) break;
        const ids = batch.map((_, i) => firstId + i);
        sampler.tell(batch, ids.map((id) => {
          const r = results[id];
          return r === undefined || r.error !== undefined ? Number.NaN : (r.metrics[2] ?? Number.NaN);
        }));
      }
    }
    await Promise.all(inFlight);
  } finally {
    if (timer !== undefined) clearInterval(timer);
  }
  if (failure !== undefined) {
    const msg = failure instanceof Error ? failure.message : JSON.stringify(failure);
    throw new SweepError('WORKER_FAILED', `a sweep worker failed: ${msg}`, { sweep_id: o.sweepId }, { cause: failure });
  }
  progress();
  const combos = results.filter((r): r is RawCombo => r !== undefined);
  // The partials past a gap (a cancelled sweep), in id order.
  if (o.onCombos !== undefined) {
    const rest = combos.filter((r) => r.id >= emitted);
    if (rest.length > 0) o.onCombos(rest);
  }
  return { combos, cancelled: o.signal?.aborted === true, stoppedAt, cache, best };
}
