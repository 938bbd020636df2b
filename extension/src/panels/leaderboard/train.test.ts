import { describe, expect, it } from 'vitest';
import { trainCommand, trainTitle, trainable } from './train';

describe('Train action of the Leaderboard', () => {
  it('allows PASS and MARGINAL rows only', () => {
    expect(trainable('PASS')).toBe(true);
    expect(trainable('MARGINAL')).toBe(true);
    expect(trainable('FAIL')).toBe(false);
    expect(trainTitle('FAIL', 4)).toMatch(/combination 4 failed its gates/i);
    expect(trainTitle('PASS', 4)).toMatch(/%train for combination 4/);
  });

  it('writes the %train magic with sorted, deduplicated combination ids', () => {
    const id = '3f2a1c9e-0b7d-4e61-9a55-1c2d3e4f5a6b';
    expect(trainCommand(id, [2])).toBe(`%train ${id} --combos 2`);
    expect(trainCommand(id, [7, 1, 7, 3])).toBe(`%train ${id} --combos 1,3,7`);
    expect(trainCommand(id, [0], 'logreg')).toBe(`%train ${id} --combos 0 --model logreg`);
  });

  it('refuses an empty selection, a bad id or a sweep id that would break the magic line', () => {
    expect(() => trainCommand('s1', [])).toThrow(/No combination/);
    expect(() => trainCommand('s1', [1.5])).toThrow(/Not a combination id/);
    expect(() => trainCommand('s1', [-1])).toThrow(/Not a combination id/);
    expect(() => trainCommand('s1 --combos 9', [1])).toThrow(/Not a sweep id/);
  });
});
