/**
 * finalize.ts pieces not covered end to end by run.test.ts. Oracle: RESULT_METRICS (the order the
 * evaluator writes metric values in) read independently of metricsObject.
 */
import { describe, expect, it } from 'vitest';
import { RESULT_METRICS } from './exec/protocol.js';
import { metricsObject } from './finalize.js';

describe('metricsObject', () => {
  it('names every raw metric value by RESULT_METRICS, in that order', () => {
    const raw = Float64Array.from(RESULT_METRICS, (_, k) => 10 + k);
    const m = metricsObject(raw);
    expect(Object.keys(m)).toEqual([...RESULT_METRICS]);
    RESULT_METRICS.forEach((key, k) => expect(m[key]).toBe(10 + k));
  });
});
