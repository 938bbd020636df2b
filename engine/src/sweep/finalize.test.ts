/**
 * finalize.ts pieces not covered end to end by run.test.ts. Oracles: RESULT_METRICS (the order the
 * evaluator writes metric values in) read independently of metricsObject; stats/blocks.ts
 * assembleBlockStats (the reference assembly of the PBO input) for pboInput and PboPrefill;
 * buildRow itself for the rows RowBuilder hands back.
 */
import { describe, expect, it } from 'vitest';
import type { RawCombo } from './exec/driver.js';
import { K_METRICS, RESULT_METRICS } from './exec/protocol.js';
import type { SweepTarget } from './exec/target.js';
import { buildRow, metricsObject, PboPrefill, pboInput, RowBuilder } from './finalize.js';
import { resolveGates } from './gates/gates.js';
import { assembleBlockStats } from './stats/blocks.js';

describe('metricsObject', () => {
  it('names every raw metric value by RESULT_METRICS, in that order', () => {
    const raw = Float64Array.from(RESULT_METRICS, (_, k) => 10 + k);
    const m = metricsObject(raw);
    expect(Object.keys(m)).toEqual([...RESULT_METRICS]);
    RESULT_METRICS.forEach((key, k) => expect(m[key]).toBe(10 + k));
  });
});

const S = 4;
const target: SweepTarget = { kind: 'rules', entry: 'close > sma(close, n)', exit: 'close < sma(close, n)', params: { n: 5 } };
const gates = resolveGates();

/** A raw result: Sharpe `sharpe` (NaN allowed), block sums id + b/10 and -(id + b/10); `failed`: an error. */
function raw(id: number, sharpe: number, failed = false): RawCombo {
  const metrics = new Float64Array(K_METRICS).fill(failed ? Number.NaN : 1);
  if (!failed) metrics[2] = sharpe;
  const blocks = new Float64Array(2 * S);
  for (let b = 0; b < S; b++) { blocks[b] = id + b / 10; blocks[S + b] = -(id + b / 10); }
  return { id, point: { n: id + 2 }, metrics, blocks, error: failed ? { code: 'X', message: 'boom' } : undefined, configHash: failed ? undefined : `h${id}` };
}

/** The reference PBO input: trials (no error, finite Sharpe) in id order, assembled by assembleBlockStats. */
function reference(rs: readonly RawCombo[], bars: number): ReturnType<typeof assembleBlockStats> {
  const trials = rs.filter((r) => r.error === undefined && Number.isFinite(r.metrics[2] ?? Number.NaN)).sort((a, b) => a.id - b.id);
  return assembleBlockStats(bars, S, trials.map((r) => r.blocks));
}

const plain = (st: { sums: Float64Array; sumsq: Float64Array } & Record<string, unknown>): unknown => ({ ...st, sums: Array.from(st.sums), sumsq: Array.from(st.sumsq) });

describe('PBO input', () => {
  it('pboInput equals assembleBlockStats of the trials in id order, in any input order, shared or not', () => {
    const rs = [raw(3, 0.5), raw(0, 1), raw(2, Number.NaN), raw(1, 2, true), raw(4, Number.POSITIVE_INFINITY), raw(5, -1)];
    const want = plain(reference(rs, 103) as never);
    for (const shared of [false, true]) {
      const st = pboInput(rs, S, 103, shared);
      if (st === undefined) throw new Error('no input');
      expect(st.sums.buffer instanceof SharedArrayBuffer).toBe(shared);
      expect(plain(st as never)).toEqual(want);
      expect(st.combos).toBe(3); // ids 0, 3, 5
    }
    expect(pboInput([raw(0, 1), raw(1, Number.NaN)], S, 100)).toBeUndefined();
  });

  it('PboPrefill hands over the same input only when every planned combination is a trial', () => {
    const all = [raw(2, 0.1), raw(0, 1), raw(3, 0.2), raw(1, -2)];
    const p = new PboPrefill(S, 4, 57, true);
    p.add(all.slice(0, 2));
    p.add(all.slice(2));
    const byId = all.slice().sort((a, b) => a.id - b.id);
    expect(p.take(all.slice(0, 3))).toBeUndefined(); // not every planned combination
    const st = p.take(byId);
    if (st === undefined) throw new Error('no prefilled input');
    expect(plain(st as never)).toEqual(plain(reference(all, 57) as never));
    expect(p.take(byId)).toBeUndefined(); // handed over once

    // Not every planned id added (e.g. a caller that never fed it): assembled after the drive instead.
    const partial = new PboPrefill(S, 4, 57, false);
    partial.add(all.slice(0, 3));
    expect(partial.take(byId)).toBeUndefined();
    expect(new PboPrefill(S, 4, 57, false).take(byId)).toBeUndefined();

    const q = new PboPrefill(S, 3, 57, false);
    const withNaN = [raw(0, 1), raw(1, Number.NaN), raw(2, 3)];
    q.add(withNaN);
    expect(q.take(withNaN)).toBeUndefined(); // a NaN Sharpe: startPbo assembles instead
    const f = new PboPrefill(S, 2, 57, false);
    const withFailure = [raw(0, 1), raw(1, 1, true)];
    f.add(withFailure);
    expect(f.take(withFailure)).toBeUndefined();
  });
});

describe('RowBuilder', () => {
  it('hands back the row built for the same raw result, and builds any other one like buildRow', () => {
    const rb = new RowBuilder(target, gates);
    const a = raw(0, 1);
    const b = raw(1, 2, true);
    rb.add([a, b]);
    const [ra, rb1] = rb.rowsOf([a, b]);
    expect(rb.rowOf(a)).toBe(ra);
    expect(rb.rowOf(b)).toBe(rb1);
    expect(ra).toStrictEqual(buildRow(target, a, gates));
    expect(rb1).toStrictEqual(buildRow(target, b, gates));
    expect(rb1?.error?.code).toBe('X');
    // Another raw result with the same id (never happens in a sweep): not the prebuilt row.
    const a2 = raw(0, 3);
    const r2 = rb.rowOf(a2);
    expect(r2).not.toBe(ra);
    expect(r2).toStrictEqual(buildRow(target, a2, gates));
    // Never added: built on demand.
    const c = raw(7, 0.5);
    expect(rb.rowOf(c)).toStrictEqual(buildRow(target, c, gates));
  });
});
