import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBarsParquet } from './duckdb/index.js';
import { csvLineOfRow, defaultSymbol, importBars } from './import.js';

const dir = mkdtempSync(join(tmpdir(), 'sigmatiq-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
function csv(text: string, name = `f${++counter}.csv`): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const HEADER = 'ts,open,high,low,close,volume\n';
const GOOD = [
  '2024-01-02,10,12,9,11,100',
  '2024-01-03,11,13,10,12,200',
  '2024-01-04,12,14,11,13,300',
];

async function rejection(path: string): Promise<{ code: string; details: Record<string, unknown>; message: string }> {
  try {
    await importBars(path);
  } catch (e) {
    return e as { code: string; details: Record<string, unknown>; message: string };
  }
  throw new Error('expected a rejection');
}

describe('importBars: normalization', () => {
  it('reads a plain daily CSV into UTC epoch ms and float64 columns', async () => {
    const r = await importBars(csv(HEADER + GOOD.join('\n') + '\n'), { symbol: 'ABC' });
    expect(r.bars.length).toBe(3);
    expect(Array.from(r.bars.ts)).toEqual([Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3), Date.UTC(2024, 0, 4)]);
    expect(Array.from(r.bars.close)).toEqual([11, 12, 13]);
    expect(Array.from(r.bars.volume)).toEqual([100, 200, 300]);
    expect(r).toMatchObject({ hasVolume: true, source: { order: 'ascending', format: 'csv' } });
    expect(r.bars.interval).toBe('1d');
    expect(r.bars.symbol).toBe('ABC');
  });

  it('reverses a wholly descending file and hashes like the ascending one', async () => {
    const asc = await importBars(csv(HEADER + GOOD.join('\n')), { symbol: 'X' });
    const desc = await importBars(csv(HEADER + [...GOOD].reverse().join('\n')), { symbol: 'X' });
    expect(desc.source.order).toBe('descending');
    expect(Array.from(desc.bars.ts)).toEqual(Array.from(asc.bars.ts));
    expect(desc.hash).toBe(asc.hash);
  });

  it('accepts other headers, separate date/time columns, offsets, and no volume column', async () => {
    const p = csv('Date,Time,Open,High,Low,Close\n2024-01-02,09:30:00,10,12,9,11\n2024-01-02,09:31:00,11,12,10,12\n');
    const r = await importBars(p);
    expect(Array.from(r.bars.ts)).toEqual([Date.UTC(2024, 0, 2, 9, 30), Date.UTC(2024, 0, 2, 9, 31)]);
    expect(r.hasVolume).toBe(false);
    expect(Array.from(r.bars.volume)).toEqual([0, 0]);
    expect(r.bars.interval).toBe('1m');
    const z = await importBars(csv('timestamp,o,h,l,c,v\n2024-01-02T10:00:00+02:00,1,1,1,1,0\n2024-01-02T11:00:00+02:00,1,1,1,1,0\n'));
    expect(z.bars.ts[0]).toBe(Date.UTC(2024, 0, 2, 8)); // 10:00 at +02:00 = 08:00 UTC
  });

  it('treats an all-empty volume column as no volume, hashing differently from zero volume', async () => {
    const empty = await importBars(csv(HEADER + '2024-01-02,10,12,9,11,\n2024-01-03,11,13,10,12,\n'), { symbol: 'X' });
    const zero = await importBars(csv(HEADER + '2024-01-02,10,12,9,11,0\n2024-01-03,11,13,10,12,0\n'), { symbol: 'X' });
    expect(empty.hasVolume).toBe(false);
    expect(zero.hasVolume).toBe(true);
    expect(Array.from(empty.bars.volume)).toEqual(Array.from(zero.bars.volume));
    expect(empty.hash).not.toBe(zero.hash);
  });

  it('applies --date-format and --timezone to naive timestamps', async () => {
    const p = csv('Date,Open,High,Low,Close,Volume\n1/3/2017 17:00,1,1,1,1,0\n7/3/2017 17:00,1,1,1,1,0\n');
    const r = await importBars(p, { dateFormat: '%m/%d/%Y %H:%M', timezone: 'America/New_York', interval: '1d' });
    // New York is UTC-5 in January (EST) and UTC-4 in July (EDT).
    expect(Array.from(r.bars.ts)).toEqual([Date.UTC(2017, 0, 3, 22), Date.UTC(2017, 6, 3, 21)]);
  });

  it('reads CRLF, semicolons, quoted headers and a BOM', async () => {
    const p = csv('\uFEFF"Date";"Open";"High";"Low";"Close";"Volume"\r\n2024-01-02;10;12;9;11;100\r\n2024-01-03;11;13;10;12;200\r\n');
    const r = await importBars(p);
    expect(Array.from(r.bars.close)).toEqual([11, 12]);
    expect(r.source.columns).toMatchObject({ ts: 'Date', volume: 'Volume' });
  });

  it('points at --date-format for dates it cannot read', async () => {
    const e = await rejection(csv('Date,Open,High,Low,Close\n19-Sep-03,1,1,1,1\n18-Sep-03,1,1,1,1\n'));
    expect(e.code).toBe('DATA_BAD_TIMESTAMP');
    expect(e.details).toMatchObject({ line: 2, column: 'ts' });
    expect(e.message).toMatch(/--date-format/);
    const ok = await importBars(csv('Date,Open,High,Low,Close\n19-Sep-03,1,1,1,1\n18-Sep-03,1,1,1,1\n'), { dateFormat: '%d-%b-%y' });
    expect(Array.from(ok.bars.ts)).toEqual([Date.UTC(2003, 8, 18), Date.UTC(2003, 8, 19)]);
    expect(ok.source.order).toBe('descending');
  });

  it('reads epoch seconds and milliseconds', async () => {
    const r = await importBars(csv('ts,open,high,low,close\n1704153600,1,1,1,1\n1704153660,1,1,1,1\n'));
    expect(r.bars.ts[0]).toBe(1704153600000);
    const ms = await importBars(csv('ts,open,high,low,close\n1704153600000,1,1,1,1\n1704153660000,1,1,1,1\n'));
    expect(ms.bars.ts[1]).toBe(1704153660000);
  });

  it('reports gaps and checks a given interval', async () => {
    const p = csv(HEADER + '2024-01-02T00:00:00Z,1,1,1,1,1\n2024-01-02T00:01:00Z,1,1,1,1,1\n2024-01-02T00:05:00Z,1,1,1,1,1\n');
    const r = await importBars(p);
    expect(r.gaps).toMatchObject({ count: 1, missingBars: 3 });
    await expect(importBars(p, { interval: '5m' })).rejects.toMatchObject({ code: 'DATA_INTERVAL_MISMATCH', details: { line: 3 } });
  });

  it('default symbol from the file name', () => {
    expect(defaultSymbol('/a/sp500_daily_1999.csv')).toBe('SP500');
    expect(defaultSymbol('6eh4-1m.parquet')).toBe('6EH4');
  });

  it('maps data rows to file lines, skipping blank lines', () => {
    const text = 'h\n\na\n\n\nb\nc\n';
    expect([0, 1, 2].map((i) => csvLineOfRow(text, i))).toEqual([3, 6, 7]);
  });
});

describe('importBars: rejection rules (nothing imported, row and rule named)', () => {
  // line numbers: header is line 1, GOOD rows are lines 2..4; the bad row is written at line 3.
  const cases: [string, string, string][] = [
    ['2024-01-02,11,13,10,12,200\n', 'DATA_DUPLICATE_TS', 'ts'],
    ['2024-01-01,11,13,10,12,200\n', 'DATA_UNSORTED', 'ts'],
    ['2024-01-05,,13,10,12,200\n', 'DATA_MISSING_PRICE', 'open'],
    ['2024-01-05,abc,13,10,12,200\n', 'DATA_MISSING_PRICE', 'open'],
    ['2024-01-05,11,13,0,12,200\n', 'DATA_NONPOSITIVE_PRICE', 'low'],
    ['2024-01-05,11,13,-1,12,200\n', 'DATA_NONPOSITIVE_PRICE', 'low'],
    ['2024-01-05,11,9,10,9.5,200\n', 'DATA_HIGH_LOW', 'high'],
    ['2024-01-05,14,13,10,12,200\n', 'DATA_OPEN_RANGE', 'open'],
    ['2024-01-05,11,13,10,9,200\n', 'DATA_CLOSE_RANGE', 'close'],
    ['2024-01-05,11,13,10,12,-5\n', 'DATA_NEGATIVE_VOLUME', 'volume'],
    ['2024-01-05,11,13,10,12,\n', 'DATA_MISSING_VOLUME', 'volume'],
    ['2024-13-45,11,13,10,12,200\n', 'DATA_BAD_TIMESTAMP', 'ts'],
    ['2024-01-05,11,inf,10,12,200\n', 'DATA_BAD_NUMBER', 'high'],
  ];
  for (const [bad, code, column] of cases) {
    it(`${code} (${bad.trim()})`, async () => {
      // Order check needs ascending neighbours: row 2 = 2024-01-02, row 3 = bad, row 4 = 2024-01-06.
      const p = csv(HEADER + `2024-01-02,10,12,9,11,100\n${bad}2024-01-06,12,14,11,13,300\n`);
      const e = await rejection(p);
      expect(e.code).toBe(code);
      expect(e.details).toMatchObject({ file: p, line: 3, column });
      expect(e.message).toMatch(/nothing was imported/);
    });
  }

  it('reports the first bad row in file order even with blank lines, and counts the others', async () => {
    const p = csv(HEADER + '\n2024-01-02,10,12,9,11,100\n\n2024-01-03,10,9,11,10,1\n2024-01-04,10,9,11,10,1\n');
    const e = await rejection(p);
    expect(e.code).toBe('DATA_HIGH_LOW');
    expect(e.details).toMatchObject({ line: 5, violations: 2 });
  });

  it('names the 1-based row of a bad Parquet row', async () => {
    const p = join(dir, 'bad.parquet');
    const bars = {
      symbol: 'X', interval: '1d', length: 3,
      ts: new Float64Array([Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3), Date.UTC(2024, 0, 4)]),
      open: new Float64Array([1, 1, 1]), high: new Float64Array([2, 2, 2]),
      low: new Float64Array([0.5, 0.5, 3]), close: new Float64Array([1, 1, 1]), volume: new Float64Array([0, 0, 0]),
    };
    await writeBarsParquet(bars, p, {});
    const e = await rejection(p);
    expect(e.code).toBe('DATA_HIGH_LOW');
    expect(e.details).toMatchObject({ file: p, row: 3, column: 'high' });
  });

  it('rejects a missing column, an empty file, a missing file and an unknown extension', async () => {
    await expect(importBars(csv('ts,open,high,close\n2024-01-02,1,1,1\n'))).rejects.toMatchObject({ code: 'DATA_COLUMN_MISSING', details: { column: 'low' } });
    await expect(importBars(csv(HEADER))).rejects.toMatchObject({ code: 'DATA_EMPTY' });
    await expect(importBars(join(dir, 'nope.csv'))).rejects.toMatchObject({ code: 'DATA_FILE_NOT_FOUND' });
    await expect(importBars(csv('x', 'a.xlsx'))).rejects.toMatchObject({ code: 'DATA_FORMAT' });
    await expect(importBars(csv(HEADER + GOOD.join('\n')), { timezone: 'Mars/Olympus' })).rejects.toMatchObject({ code: 'DATA_BAD_TIMEZONE', details: { param: 'timezone' } });
  });
});
