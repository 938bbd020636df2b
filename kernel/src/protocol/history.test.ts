import { describe, expect, it } from 'vitest';
import { globToRegExp, historyReply } from './history.js';

const items = [
  { line: 1, input: '1 + 1', output: '2' },
  { line: 2, input: 'const a = 3', output: null },
  { line: 3, input: '1 + 1', output: '2' },
  { line: 4, input: 'a * 2', output: '6' },
];

describe('history', () => {
  it('tail returns the last n entries, with outputs on request', () => {
    expect(historyReply(items, { hist_access_type: 'tail', n: 2 })).toEqual({ status: 'ok', history: [[1, 3, '1 + 1'], [1, 4, 'a * 2']] });
    expect(historyReply(items, { hist_access_type: 'tail', n: 1, output: true })).toEqual({ status: 'ok', history: [[1, 4, ['a * 2', '6']]] });
  });

  it('range selects [start, stop) of the session', () => {
    expect(historyReply(items, { hist_access_type: 'range', session: 1, start: 2, stop: 3 }).history).toEqual([[1, 2, 'const a = 3']]);
    expect(historyReply(items, { hist_access_type: 'range', session: 7, start: 1, stop: 9 }).history).toEqual([]);
  });

  it('search matches globs, with unique and n', () => {
    expect(historyReply(items, { hist_access_type: 'search', pattern: '1*' }).history).toEqual([[1, 1, '1 + 1'], [1, 3, '1 + 1']]);
    expect(historyReply(items, { hist_access_type: 'search', pattern: '1*', unique: true }).history).toEqual([[1, 3, '1 + 1']]);
    expect(historyReply(items, { hist_access_type: 'search', pattern: '*', n: 1 }).history).toEqual([[1, 4, 'a * 2']]);
    expect(globToRegExp('a?c').test('abc')).toBe(true);
    expect(globToRegExp('a.c').test('abc')).toBe(false);
  });
});
