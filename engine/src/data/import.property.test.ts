/**
 * Properties of import (fast-check): valid bars written as CSV with shortest round-trip decimals
 * come back bit-identical; one corrupted row is rejected with its rule and its file line.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importBars } from './import.js';

const dir = mkdtempSync(join(tmpdir(), 'sigmatiq-import-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

interface Row { ts: number; o: number; h: number; l: number; c: number; v: number }

const price = fc.double({ min: 1e-6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const rowsArb = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 5 }), price, price, price, price, fc.double({ min: 0, max: 1e9, noNaN: true, noDefaultInfinity: true })), { minLength: 2, maxLength: 40 })
  .map((xs) => {
    let t = Date.UTC(2020, 0, 1);
    return xs.map(([step, a, b, c, d, v]): Row => {
      t += step * 60_000;
      const [l, o, cl, h] = [a, b, c, d].sort((x, y) => x - y) as [number, number, number, number];
      return { ts: t, o, h, l, c: cl, v };
    });
  });

function writeCsv(rows: readonly Row[]): string {
  const p = join(dir, `p${++counter}.csv`);
  const lines = rows.map((r) => `${new Date(r.ts).toISOString()},${r.o},${r.h},${r.l},${r.c},${r.v}`);
  writeFileSync(p, 'ts,open,high,low,close,volume\n' + lines.join('\n') + '\n');
  return p;
}

describe('import properties', () => {
  it('valid rows round-trip bit for bit', async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, async (rows) => {
        const r = await importBars(writeCsv(rows), { interval: '1m' });
        expect(Array.from(r.bars.ts)).toEqual(rows.map((x) => x.ts));
        expect(Array.from(r.bars.open)).toEqual(rows.map((x) => x.o));
        expect(Array.from(r.bars.high)).toEqual(rows.map((x) => x.h));
        expect(Array.from(r.bars.low)).toEqual(rows.map((x) => x.l));
        expect(Array.from(r.bars.close)).toEqual(rows.map((x) => x.c));
        expect(Array.from(r.bars.volume)).toEqual(rows.map((x) => (x.v === 0 ? 0 : x.v)));
      }),
      { numRuns: 25 },
    );
  });

  it('one corrupted row is rejected with its rule and line', async () => {
    const rules = ['DATA_HIGH_LOW', 'DATA_NONPOSITIVE_PRICE', 'DATA_NEGATIVE_VOLUME', 'DATA_DUPLICATE_TS'] as const;
    await fc.assert(
      fc.asyncProperty(rowsArb, fc.nat(), fc.constantFrom(...rules), async (rows, pick, rule) => {
        const i = 1 + (pick % (rows.length - 1)); // never the first row (duplicates need a predecessor)
        const bad = rows.map((r) => ({ ...r }));
        const row = bad[i] as Row;
        if (rule === 'DATA_HIGH_LOW') [row.h, row.l] = [row.l * 0.5, row.h * 2];
        if (rule === 'DATA_NONPOSITIVE_PRICE') row.o = 0;
        if (rule === 'DATA_NEGATIVE_VOLUME') row.v = -1;
        if (rule === 'DATA_DUPLICATE_TS') row.ts = (bad[i - 1] as Row).ts;
        await expect(importBars(writeCsv(bad))).rejects.toMatchObject({ code: rule, details: { line: i + 2 } });
      }),
      { numRuns: 25 },
    );
  });
});
